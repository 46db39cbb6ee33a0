import { describe, expect, it } from 'vitest';
import { ConversationDriver } from './conversation-driver.js';

/** A Burmese speaker held in Myanmar, whose urgent report is stored. */
async function urgentReport() {
  const driver = await ConversationDriver.start('my');
  await driver.choose('my');
  await driver.choose('held');
  await driver.choose('me');
  await driver.choose('yes');
  await driver.choose('MM');
  expect(driver.submitted).toHaveLength(1);
  return driver;
}

async function withdrawnAt(driver: ConversationDriver, reportId: string) {
  const row = await driver.intake.db
    .selectFrom('reports')
    .select(['withdrawn_at'])
    .where('id', '=', reportId)
    .executeTakeFirstOrThrow();
  return row.withdrawn_at;
}

describe('truthful cancel and withdraw', () => {
  it('before a report is stored, /cancel deletes the draft and says so', async () => {
    const driver = await ConversationDriver.start('vi');
    await driver.choose('vi');
    await driver.choose('safe');
    await driver.send('Họ lấy tiền của tôi.');
    await driver.send('/cancel');
    expect(driver.keys()).toEqual(['questions.cancelConfirm']);
    await driver.choose('yes');
    expect(driver.keys()).toEqual(['draft_deleted', 'cancelled']);
    expect(driver.state.draft.incident).toBeUndefined();
    expect(driver.submitted).toEqual([]);
  });

  it('the web chat’s transcript of a deleted draft is deleted too: only the answer to /cancel is left', async () => {
    const driver = await ConversationDriver.start('ar', { keepTranscript: true });
    await driver.choose('ar');
    await driver.choose('safe');
    await driver.send('أخذوا أموالي');
    const before = (await driver.runner.transcript('telegram', driver.userId))!.entries;
    expect(before.map((entry) => entry.text)).toContain('أخذوا أموالي');
    await driver.send('/cancel');
    await driver.choose('yes');
    const after = (await driver.runner.transcript('telegram', driver.userId))!.entries;
    expect(after).toEqual([{ from: 'reportline', text: 'cancelled' }]);
  });

  it('after an urgent report, /cancel offers to withdraw it and, on yes, withdraws it and says exactly that', async () => {
    const driver = await urgentReport();
    const { reportId } = driver.submitted[0]!;
    await driver.send('/cancel');
    expect(driver.keys()).toEqual(['questions.withdrawConfirm']);
    await driver.choose('yes');
    expect(driver.keys()).toEqual(['withdrawn']);
    expect(await withdrawnAt(driver, reportId)).toBeTruthy();
    // The report is kept: it is still there for the hotline.
    expect(await driver.intake.reports.getReportById(reportId)).toBeDefined();
    expect(driver.state.mode).toBe('finished');

    // Asked again, it is already withdrawn: said so, nothing changes twice.
    await driver.send('/cancel');
    await driver.choose('yes');
    expect(driver.keys()).toEqual(['alreadyWithdrawn']);
  });

  it('after an urgent report, going back and answering "no" to sharing offers withdrawal instead of failing', async () => {
    const driver = await urgentReport();
    // Back past the country (asked after the report was stored) to the consent question.
    await driver.send('/back');
    expect(driver.keys()).toEqual(['questions.dangerCountry']);
    await driver.send('/back');
    expect(driver.keys()).toEqual(['questions.dangerConsent']);
    await driver.choose('no');
    expect(driver.keys()).toEqual(['questions.withdrawConfirm']);
    const stored = (await driver.intake.reports.getReportById(driver.submitted[0]!.reportId))!;
    expect(stored.report.consent.shareWithLawEnforcement).toBe(true);
    await driver.choose('no');
    expect(driver.keys()).toEqual(['notWithdrawn', 'questions.narrative']);
  });

  it('after an urgent report, "no" keeps it and goes back to the question (Khmer)', async () => {
    const driver = await ConversationDriver.start('km');
    await driver.choose('km');
    await driver.choose('danger');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose('KH');
    await driver.send('/cancel');
    await driver.choose('no');
    expect(driver.keys()).toEqual(['notWithdrawn', 'questions.narrative']);
    expect(await withdrawnAt(driver, driver.submitted[0]!.reportId)).toBeFalsy();
  });
});
