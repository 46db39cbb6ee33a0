import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeReport } from '../support/fixtures.js';
import { messageKeys } from '../support/page-messages.js';
import { browserFor, createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

const additionIdOf = (html: string) => /name="addition_id" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe("the status page's addition", () => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;
  let reportId: string;
  let reference: string;
  let receiptCode: string;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    portal = await createPublicPortal(database);
    ({ reference, receiptCode, reportId } = await portal.intake.reports.submitReport(
      { ...completeReport(), language: 'en' },
      { actor: 'test' },
    ));
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  it('is added once when the same form is sent twice (a double click, a resent post), and again from a new form', async () => {
    const reporter = browserFor(portal.app, 'en');
    const form = await reporter.open('/status');
    const opened = await reporter.post('/status', { token: reporter.token(form.html), reference, code: receiptCode });
    const fields = {
      token: reporter.token(opened.html),
      addition_id: additionIdOf(opened.html),
      text: 'He wrote again from +855 97 123 4567',
    };
    expect(fields.addition_id).toMatch(/^[0-9a-f-]{36}$/);
    const first = await reporter.post('/status/add', fields);
    const second = await reporter.post('/status/add', fields);
    expect(messageKeys(first.html)).toContain('status.added');
    // The second send is answered as the first was: the person is not told something failed.
    expect(messageKeys(second.html)).toContain('status.added');
    expect((await portal.intake.followups.listAdditions(reportId)).map((addition) => addition.text)).toEqual([
      'He wrote again from +855 97 123 4567',
    ]);

    // The page after the addition is a new form: the same words sent from it are a new addition.
    const third = await reporter.post('/status/add', {
      token: reporter.token(second.html),
      addition_id: additionIdOf(second.html),
      text: 'He wrote again from +855 97 123 4567',
    });
    expect(messageKeys(third.html)).toContain('status.added');
    expect(await portal.intake.followups.listAdditions(reportId)).toHaveLength(2);
  });
});
