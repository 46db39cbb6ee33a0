import type { TFunction } from 'i18next';
import type { CaseDocument } from './case-document.js';

/**
 * The e-mail an agency gets for a case. E-mail crosses servers we do not
 * control, so it says that there is a case and how urgent, never who the
 * reporter is or what they wrote: the details are behind the inbox link.
 */
export function renderCaseEmail(
  t: TFunction,
  document: CaseDocument,
  options: { inboxUrl: string | undefined },
): { subject: string; text: string } {
  const category = t(`categories.${document.category ?? 'unknown'}`);
  const subject = t(document.urgent ? 'email.subjectUrgent' : 'email.subject', {
    reference: document.reference,
    category,
  });
  const lines = [
    t('email.intro', { reference: document.reference }),
    '',
    t('email.category', { category }),
    t('email.urgency', { urgency: t(document.urgent ? 'email.urgent' : 'email.notUrgent') }),
    t('email.role', { role: t(document.role === 'primary' ? 'email.rolePrimary' : 'email.roleCopy') }),
    t('email.countries', {
      current: document.report.victim.currentCountry ?? '—',
      nationality: document.report.victim.nationality ?? '—',
    }),
    t('email.indicators', { count: document.indicators.filter((indicator) => indicator.kind !== 'amount').length }),
    t('email.linked', { count: document.linkedReports.length }),
    '',
    options.inboxUrl ? t('email.openInbox', { url: options.inboxUrl }) : t('email.openInboxNoUrl'),
    '',
    t('email.noPersonalData'),
  ];
  return { subject, text: lines.join('\n') };
}
