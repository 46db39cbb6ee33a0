import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { testI18n } from '../support/test-portal.js';

/** What a reporter took back that only staff can remove shows on the case page: the note and the history line. */
describe('the case page shows a correction the reporter asked for', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await openConsoleHarness();
  });
  afterAll(async () => harness?.close());

  it('lists what to remove in a note by the channel, and the request in the case history (Vietnamese console)', async () => {
    const report = await harness.submit({ consent: { shareWithLawEnforcement: true }, language: 'vi' });
    await harness.services.corrections.request({
      reportId: report.reportId,
      removals: ['Anh Tuấn'],
      actor: 'channel:line',
      channel: 'line',
      idempotency: { scope: 'conversation-correction', key: 'case-page:1' },
    });
    const hotline = await harness.signedIn('hotline', undefined, 'vi');
    const page = await hotline.open(`/staff/cases/${report.reference}?lang=vi`);
    expect(page.response.status).toBe(200);
    const t = testI18n.getFixedT('vi', 'staff');
    expect(page.html).toContain('Anh Tuấn');
    expect(page.html).toContain(t('history.case_correction_requested'));
    expect(page.html).not.toContain('case.correction_requested');
  });
});
