import type { TFunction } from 'i18next';
import type { CaseDocument } from './case-document.js';
import { caseEventTypes, type CaseEventType } from './case-event-types.js';
import { nonLinkingKinds } from '../indicators/indicator.js';

/**
 * The e-mail an agency gets for a case, or for an amendment of a case it has. E-mail crosses servers we do not
 * control, so it says that there is a case and how urgent, never who the
 * reporter is or what they wrote: the details are behind the inbox link.
 */
export function renderCaseEmail(
  t: TFunction,
  document: CaseDocument,
  options: { inboxUrl: string | undefined; event: CaseEventType },
): { subject: string; text: string } {
  const category = t(`categories.${document.category ?? 'unknown'}`);
  const updated = options.event === caseEventTypes.updated;
  const withdrawn = options.event === caseEventTypes.withdrawn;
  const subjectKey = withdrawn
    ? 'email.subjectWithdrawn'
    : updated
      ? document.urgent
        ? 'email.subjectUpdatedUrgent'
        : 'email.subjectUpdated'
      : document.urgent
        ? 'email.subjectUrgent'
        : 'email.subject';
  const subject = t(subjectKey, { reference: document.reference, category });
  // Which fields changed is left to the inbox too: even a field's name can hint at what the reporter said.
  const version = document.amendments.at(-1)?.version ?? 0;
  const lines = [
    withdrawn
      ? t('email.introWithdrawn', { reference: document.reference })
      : updated
        ? t('email.introUpdated', { reference: document.reference, version })
        : t('email.intro', { reference: document.reference }),
    '',
    t('email.category', { category }),
    t('email.urgency', { urgency: t(document.urgent ? 'email.urgent' : 'email.notUrgent') }),
    t('email.role', { role: t(document.role === 'primary' ? 'email.rolePrimary' : 'email.roleCopy') }),
    t('email.countries', {
      current: document.report.victim.currentCountry ?? '—',
      nationality: document.report.victim.nationality ?? '—',
    }),
    t('email.indicators', {
      count: document.indicators.filter((indicator) => !nonLinkingKinds.has(indicator.kind)).length,
    }),
    t('email.linked', { count: document.linkedReports.length }),
    '',
    options.inboxUrl ? t('email.openInbox', { url: options.inboxUrl }) : t('email.openInboxNoUrl'),
    '',
    t('email.noPersonalData'),
  ];
  return { subject, text: lines.join('\n') };
}
