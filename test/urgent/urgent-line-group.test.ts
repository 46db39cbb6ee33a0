import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../app/open-services.js';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { completeReport } from '../support/fixtures.js';
import { channelSecret } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';

const accessToken = 'line-channel-access-token-for-tests';
const staffGroup = `C${'0123456789abcdef'.repeat(2)}`;

describe('the staff LINE group', () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startFakeLineApi>>;
  let services: Services;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    api = await startFakeLineApi(accessToken);
    services = await openTestServices(database, {
      environment: {
        LINE_CHANNEL_ACCESS_TOKEN: accessToken,
        LINE_CHANNEL_SECRET: channelSecret,
        LINE_API_BASE_URL: api.baseUrl,
        LINE_DATA_API_BASE_URL: api.baseUrl,
        REPORTLINE_DUTY_LINE_GROUP_ID: staffGroup,
        REPORTLINE_DUTY_LANGUAGE: 'th',
      },
      logger: recordingLogger(),
    });
    services.chatWorker.start(60_000);
  });
  afterAll(async () => {
    await services?.close();
    await api?.close();
    await database?.dispose();
  });

  it('is told of a new urgent case once, by push through the chat outbox: the reference and the country, in its language', async () => {
    const { reference } = await services.reports.submitReport(completeReport(), { actor: 'token:api' });
    await services.urgentClocks.runOnce();
    const toGroup = () => api.delivered.filter((message) => message.to === staffGroup);
    await api.until(() => toGroup().length > 0);
    await services.urgentClocks.runOnce();
    const told = toGroup();
    expect(told).toHaveLength(1);
    expect(told[0]!.via).toBe('push');
    const text = (told[0]!.message as { text: string }).text;
    expect(text).toContain(reference);
    expect(text).toContain('กัมพูชา');
    for (const personal of ['김민지', '김준호', '+855 12 345 678', 'Golden Sun']) expect(text).not.toContain(personal);
  });
});
