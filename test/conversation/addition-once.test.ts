import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { assembleConversationRunner } from '../../app/assemble-conversations.js';
import type { TranscriptChatChannel } from '../../intake/chat/chat-channel.js';
import type { ConversationRunner } from '../../intake/conversation/conversation-runner.js';
import type { ConversationInput } from '../../intake/conversation/conversation-types.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { ConversationStore } from '../../intake/store/conversation-store.js';
import { testCipher } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

const channel: TranscriptChatChannel = { delivery: 'transcript', channel: 'telegram', transcriptLines: () => [] };

/**
 * A crash after /add stored the addition but before the conversation was saved: the platform redelivers the same
 * update, the runner handles it again, and the addition must not be stored twice.
 */
describe('an addition sent by /add is stored once when its update is handled again', () => {
  let database: TestDatabase;
  let intake: Intake;
  let runner: ConversationRunner;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    intake = assembleIntake({
      db: database.db,
      cipher: testCipher(),
      router: createCaseRouter(loadAgencyDirectory()),
      dataDir: database.filename!,
    });
    runner = assembleConversationRunner({ intake, directory: loadAgencyDirectory(), i18n: testI18n });
  });
  afterAll(async () => database?.dispose());

  it('a redelivered addition after a crash before the save adds it once, and the person gets addDone', async () => {
    const { reportId, reference, receiptCode } = await intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true } },
      { actor: 'test' },
    );
    const user = 'addition-once-user';
    let update = 0;
    const send = (input: ConversationInput, updateKey = `u${(update += 1)}`) =>
      runner.handle(channel, user, input, { updateKey, languageHint: 'en' });
    await send({ type: 'command', command: 'start' });
    await send({ type: 'command', command: 'add' });
    await send({ type: 'text', text: reference });
    await send({ type: 'text', text: receiptCode });

    const addition: ConversationInput = { type: 'text', text: 'He called again from +855 12 345 678.' };
    const save = vi
      .spyOn(ConversationStore.prototype, 'save')
      .mockRejectedValueOnce(Object.assign(new Error('the process died here'), { code: 'test.crash' }));
    const crashed = await send(addition, 'u-addition').catch((error: unknown) => error);
    save.mockRestore();
    expect(crashed).toMatchObject({ code: 'test.crash' });
    // The addition was stored before the crash: the redelivery must find it, not add it again.
    expect(await intake.followups.listAdditions(reportId)).toHaveLength(1);

    const again = await send(addition, 'u-addition');
    expect(again.outputs.map((output) => ('key' in output ? output.key : output.type))[0]).toBe('addDone');
    const additions = await intake.followups.listAdditions(reportId);
    expect(additions.map((stored) => stored.text)).toEqual(['He called again from +855 12 345 678.']);
  });
});
