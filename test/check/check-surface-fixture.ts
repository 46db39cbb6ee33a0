import type { Intake } from '../../app/assemble-intake.js';
import { testI18n } from '../support/test-portal.js';

/**
 * What the check surfaces' tests check against, made with the intake's real use cases: a number three distinct
 * reporters named and staff confirmed as a job scam (a warning), and a number one report named (no warning).
 */
export const warnedNumber = { local: '081 111 0002', e164: '+66811110002', tail: '0002' };
export const onceReportedNumber = { local: '081 555 0003', e164: '+66815550003', tail: '0003' };

export async function reportAndConfirm(intake: Pick<Intake, 'reports' | 'checkStaff'>): Promise<void> {
  const report = (reporterPhone: string, suspect: string) =>
    intake.reports.submitReport(
      {
        channel: 'web',
        language: 'th',
        consent: { shareWithLawEnforcement: true },
        reporter: { phone: reporterPhone },
        suspects: { phones: [suspect] },
        victim: { currentCountry: 'TH', languagesSpoken: [] },
      },
      { actor: 'channel:web' },
    );
  for (const reporterPhone of ['+66 89 000 0011', '+66 89 000 0012', '+66 89 000 0013'])
    await report(reporterPhone, warnedNumber.local);
  await report('+66 89 000 0014', onceReportedNumber.local);
  const candidate = (await intake.checkStaff.review.candidates()).find((entry) => entry.value === warnedNumber.e164);
  if (!candidate) throw new Error('three distinct reporters did not make the number a candidate');
  await intake.checkStaff.review.confirm('user:staff-check-test', candidate.valueHash, 'job_scam');
}

/** The chat's answer for one checked phone number, as the person's language words it (one message). */
export function chatVerdictLine(language: string, verdict: 'warning' | 'no_warning', tail: string): string {
  const t = testI18n.getFixedT(language, 'conversation');
  return t(verdict === 'warning' ? 'check.warning' : 'check.noWarning', {
    what: t('portal:form.kind.phone'),
    tail,
  });
}

export const chatText = (language: string, key: string, params?: Record<string, string>) =>
  testI18n.getFixedT(language, 'conversation')(key, params);
