import { describe, expect, it } from 'vitest';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import { safetyFlagsOf } from '../../intake/report/report-glance.js';
import { ConversationDriver, useDeploymentDirectory } from './conversation-driver.js';
import { consularDeskIds, writeConsularDeployment } from './screening-deployment.js';

// The consular desks of Cambodia, Myanmar and Indonesia come from a deployment's file (the shipped directory has none).
useDeploymentDirectory(writeConsularDeployment());

/** "They took my passport, I cannot leave", as a person writes it in their own language. */
const passportTaken = {
  km: 'ពួកគេបានយកលិខិតឆ្លងដែនរបស់ខ្ញុំ ខ្ញុំមិនអាចចាកចេញបានទេ',
  my: 'သူတို့က ကျွန်တော့် ပတ်စပို့ကို ယူထားတယ်။ ကျွန်တော် ထွက်သွားလို့ မရဘူး။',
  id: 'Mereka mengambil paspor saya, saya tidak bisa pergi.',
} as const;

const screeningShown = (outputs: ConversationOutput[]) =>
  outputs.find(
    (output): output is Extract<ConversationOutput, { type: 'choices' }> =>
      output.type === 'choices' && output.question === 'screening',
  );
const offered = (driver: ConversationDriver) => screeningShown(driver.outputs)?.options.map((option) => option.value);

/** After the screening: the rest of the questions skipped or answered, the report confirmed; the stored report. */
async function finish(driver: ConversationDriver, nationality: string) {
  const asked: string[] = [];
  for (let turn = 0; turn < 30 && driver.state.mode === 'report'; turn += 1) {
    const question = driver.state.step;
    asked.push(question);
    if (question === 'nationality') await driver.choose(nationality);
    else if (question === 'evidence') await driver.choose('done');
    else if (question === 'summary') await driver.choose('confirm');
    else if (question === 'consentContact') await driver.choose('no');
    else if (question === 'consentShare') await driver.choose('yes');
    else await driver.send('/skip');
  }
  return asked;
}

async function routedTo(driver: ConversationDriver, reportId: string) {
  const routing = await driver.intake.routing.getRouting(reportId);
  return (routing?.agencies ?? []).map((agency) => agency.agencyId);
}

describe('the trafficking screening in the chat', () => {
  it.each([
    { language: 'km', safety: 'danger', where: 'TH', nationality: 'KH', police: 'th-rtp', unit: 'th-oscc' },
    { language: 'my', safety: 'held', where: 'KH', nationality: 'MM', police: 'kh-cnp', unit: undefined },
    { language: 'id', safety: 'danger', where: 'PH', nationality: 'ID', police: 'ph-pnp', unit: 'ph-iacat' },
  ] as const)(
    '$language: "they took my passport, I cannot leave" leads to the screening; the urgent case goes to the police, the anti-trafficking unit and the consular desk',
    async ({ language, safety, where, nationality, police, unit }) => {
      const driver = await ConversationDriver.start(language);
      await driver.choose(language);
      await driver.choose(safety);
      // Danger first: the numbers come before any screening question.
      expect(driver.outputs[0]?.type).toBe('contacts');
      expect(screeningShown(driver.outputs)).toBeUndefined();
      await driver.choose('me');
      await driver.choose('yes');
      const { reportId } = driver.submitted[0]!;
      await driver.choose(where);
      await driver.send(passportTaken[language]);
      if (driver.question() === 'confirmFound') await driver.choose('no');
      // No category chosen: the story's own words call for the screening.
      expect(driver.question()).toBe('category');
      await driver.send('/skip');
      expect(driver.question()).toBe('screening');
      expect(driver.keys()).toEqual(['screening.question']);
      // Held was answered already: "not free to leave" is not asked again.
      expect(offered(driver)?.includes('not_free_to_leave')).toBe(safety !== 'held');
      await driver.choose('documents_taken');
      // The same list again, without what was pressed, and the way on now reads "that is all".
      expect(driver.question()).toBe('screening');
      expect(offered(driver)).not.toContain('documents_taken');
      expect(screeningShown(driver.outputs)?.options.at(-2)).toEqual({
        value: 'done',
        labelKey: 'screening.option.done',
      });
      await driver.choose('forced_to_scam');
      await driver.choose('done');
      expect(driver.question()).not.toBe('screening');
      // Each press amended the urgent report at once.
      const screened = (await driver.intake.reports.getReportById(reportId))!.report;
      expect(screened.screening?.indicators).toEqual(['documents_taken', 'forced_to_scam']);
      expect(safetyFlagsOf(screened)).toContain('likely_trafficking');

      const asked = await finish(driver, nationality);
      // Nothing is asked twice.
      expect(asked).not.toContain('screening');
      expect(new Set(asked).size).toBe(asked.length);
      const stored = (await driver.intake.reports.getReportById(reportId))!;
      expect(stored.report.urgent).toBe(true);
      expect(stored.report.victim).toMatchObject({ currentCountry: where, nationality });
      const agencies = await routedTo(driver, reportId);
      expect(agencies[0]).toBe(police);
      if (unit) expect(agencies).toContain(unit);
      expect(agencies).toContain(consularDeskIds[nationality]);
    },
  );

  it('a story that does not point that way gets no screening (Indonesian, a crypto investment)', async () => {
    const driver = await ConversationDriver.start('id');
    await driver.choose('id');
    await driver.choose('safe');
    await driver.send('Saya tertipu investasi kripto lewat aplikasi, uang saya tidak bisa ditarik.');
    if (driver.question() === 'confirmFound') await driver.choose('no');
    await driver.choose('investment_crypto');
    const asked = await finish(driver, 'ID');
    expect(asked).not.toContain('screening');
    const stored = (await driver.intake.reports.getReportById(driver.submitted[0]!.reportId))!;
    expect(stored.report.screening).toBeUndefined();
    expect(safetyFlagsOf(stored.report)).not.toContain('likely_trafficking');
  });

  it('can be skipped with /skip or "not now", is recorded as skipped and not asked again, even when editing (Khmer)', async () => {
    for (const skip of ['/skip', 'notNow'] as const) {
      const driver = await ConversationDriver.start('km');
      await driver.choose('km');
      await driver.choose('safe');
      await driver.send(passportTaken.km);
      if (driver.question() === 'confirmFound') await driver.choose('no');
      await driver.choose('fake_job_compound');
      expect(driver.question()).toBe('screening');
      if (skip === '/skip') await driver.send('/skip');
      else await driver.choose('skip');
      expect(driver.state.step).toBe('jobRecruiter');
      expect(driver.state.draft.screening).toEqual({ indicators: [], skipped: true });
      // Editing the details from the summary asks them again, but not the screening.
      const asked: string[] = [];
      for (let turn = 0; turn < 20 && driver.state.step !== 'summary'; turn += 1) {
        asked.push(driver.state.step);
        if (driver.state.step === 'evidence') await driver.choose('done');
        else await driver.send('/skip');
      }
      await driver.choose('edit');
      await driver.choose('details');
      for (let turn = 0; turn < 20 && driver.state.step !== 'summary'; turn += 1) {
        asked.push(driver.state.step);
        await driver.send('/skip');
      }
      expect(asked).not.toContain('screening');
      expect(asked).toContain('jobRecruiter');
    }
  });

  it('"none of these" records an answered screening with no indicator: no mark (Burmese)', async () => {
    const driver = await ConversationDriver.start('my');
    await driver.choose('my');
    await driver.choose('safe');
    await driver.send(passportTaken.my);
    if (driver.question() === 'confirmFound') await driver.choose('no');
    await driver.send('/skip');
    expect(driver.question()).toBe('screening');
    expect(screeningShown(driver.outputs)?.options.at(-2)).toEqual({
      value: 'done',
      labelKey: 'screening.option.none',
    });
    await driver.choose('done');
    expect(driver.state.draft.screening).toEqual({ indicators: [] });
    expect(driver.question()).not.toBe('screening');
  });
});
