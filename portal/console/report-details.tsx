import type { TFunction } from 'i18next';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { ReportContent } from '../../intake/report/report-schema.js';
import { countryName } from '../../intake/routing/display-names.js';
import { recruiterLeadLines } from './recruiter-lead-lines.js';

type Row = [label: string, value: string | undefined];

/**
 * Every field of a report, as plain text. Whatever a reporter typed is
 * printed, never interpreted: a website they name is not a link (it may be
 * the scam), and markup is only ever shown as the characters it is made of.
 */
export function ReportDetails(props: { t: TFunction; language: LanguageCode; report: ReportContent }) {
  const { t, report, language } = props;
  const yesNo = (value: boolean | undefined) => (value === undefined ? undefined : t(value ? 'value.yes' : 'value.no'));
  const country = (code: string | undefined) => (code ? `${countryName(code, language)} (${code})` : undefined);
  const list = (items: string[] | undefined) => (items && items.length > 0 ? items.join('\n') : undefined);
  const { safety, victim, incident, losses, suspects, trafficking, reporter, consent } = report;

  const sections: Array<{ id: string; rows: Row[] }> = [
    {
      id: 'safety',
      rows: [
        [t('field.safety.inImmediateDanger'), yesNo(safety.inImmediateDanger)],
        [t('field.safety.heldAgainstWill'), yesNo(safety.heldAgainstWill)],
        [t('field.safety.passportWithheld'), yesNo(safety.passportWithheld)],
        [t('field.safety.minorInvolved'), yesNo(safety.minorInvolved)],
        [t('field.safety.safeContactMethod'), safety.safeContactMethod],
        [t('field.safety.safeContactTime'), safety.safeContactTime],
      ],
    },
    {
      id: 'victim',
      rows: [
        [t('field.victim.nameOrAlias'), victim.nameOrAlias],
        [t('field.victim.ageBand'), victim.ageBand ? t(`ageBand.${victim.ageBand}`) : undefined],
        [t('field.victim.nationality'), country(victim.nationality)],
        [t('field.victim.residenceCountry'), country(victim.residenceCountry)],
        [t('field.victim.currentCountry'), country(victim.currentCountry)],
        [t('field.victim.currentPlace'), victim.currentPlace],
        [
          t('field.victim.coordinates'),
          victim.coordinates ? `${victim.coordinates.latitude}, ${victim.coordinates.longitude}` : undefined,
        ],
        [t('field.victim.languagesSpoken'), list(victim.languagesSpoken)],
      ],
    },
    {
      id: 'incident',
      rows: [
        [t('field.reporterRole'), report.reporterRole ? t(`reporterRole.${report.reporterRole}`) : undefined],
        [t('field.incident.category'), incident.category ? t(`delivery:categories.${incident.category}`) : undefined],
        [t('field.incident.firstContactDate'), incident.firstContactDate],
        [t('field.incident.firstContactPlatform'), incident.firstContactPlatform],
        [t('field.incident.ongoing'), yesNo(incident.ongoing)],
        [t('field.incident.narrative'), incident.narrative],
      ],
    },
    {
      id: 'losses',
      rows: [
        ...losses.payments.map((payment, index): Row => [
          t('field.losses.payment', { number: String(index + 1) }),
          [
            `${payment.amount} ${payment.currency}`,
            payment.date,
            payment.method ? t(`paymentMethod.${payment.method}`) : undefined,
            payment.fromInstitution ? t('field.losses.from', { value: payment.fromInstitution }) : undefined,
            payment.toAccount ? t('field.losses.to', { value: payment.toAccount }) : undefined,
            payment.transactionHash ? t('field.losses.transaction', { value: payment.transactionHash }) : undefined,
          ]
            .filter(Boolean)
            .join('\n'),
        ]),
        [t('field.losses.freezeRequested'), yesNo(losses.freezeRequested)],
        [t('field.losses.bankCaseNumber'), losses.bankCaseNumber],
      ],
    },
    {
      id: 'suspects',
      rows: [
        [t('field.suspects.names'), list(suspects.names)],
        [t('field.suspects.phones'), list(suspects.phones)],
        [t('field.suspects.messengerHandles'), list(suspects.messengerHandles)],
        [t('field.suspects.emails'), list(suspects.emails)],
        [t('field.suspects.websites'), list(suspects.websites)],
        [t('field.suspects.socialProfiles'), list(suspects.socialProfiles)],
        [t('field.suspects.bankAccounts'), list(suspects.bankAccounts)],
        [t('field.suspects.wallets'), list(suspects.wallets)],
        [t('field.suspects.forwardedFrom'), recruiterLeadLines(t, suspects.forwardedFrom)],
        [t('field.suspects.compoundName'), suspects.compound?.name],
        [t('field.suspects.compoundPlace'), suspects.compound?.place],
        [t('field.suspects.compoundCountry'), country(suspects.compound?.country)],
      ],
    },
    {
      id: 'trafficking',
      rows: [
        [t('field.trafficking.promisedJob'), trafficking.promisedJob],
        [t('field.trafficking.promisedSalary'), trafficking.promisedSalary],
        [t('field.trafficking.destination'), trafficking.destination],
        [t('field.trafficking.route'), trafficking.route],
        [t('field.trafficking.debtOrRansomDemanded'), trafficking.debtOrRansomDemanded],
        [
          t('field.trafficking.othersHeldCount'),
          trafficking.othersHeldCount === undefined ? undefined : String(trafficking.othersHeldCount),
        ],
        [
          t('field.trafficking.othersHeldNationalities'),
          list(trafficking.othersHeldNationalities.map((code) => country(code)!)),
        ],
        [t('field.trafficking.embassyContacted'), yesNo(trafficking.embassyContacted)],
      ],
    },
    {
      id: 'reporter',
      rows: [
        [t('field.reporter.name'), reporter.name],
        [t('field.reporter.contact'), reporter.contact],
        [t('field.reporter.phone'), reporter.phone],
        [t('field.consent.shareWithLawEnforcement'), yesNo(consent.shareWithLawEnforcement)],
        [t('field.consent.contactBack'), yesNo(consent.contactBack)],
        ...report.earlierReports.map((earlier): Row => [
          t('field.earlierReport'),
          `${earlier.agency}: ${earlier.referenceNumber}`,
        ]),
      ],
    },
  ];

  return (
    <>
      {sections.map((section) => {
        const rows = section.rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '');
        return (
          <section class="panel" aria-labelledby={`details-${section.id}`}>
            <h2 id={`details-${section.id}`}>{t(`section.${section.id}`)}</h2>
            {rows.length > 0 ? (
              <dl class="fields">
                {rows.map(([label, value]) => (
                  <>
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                  </>
                ))}
              </dl>
            ) : (
              <p class="hint">{t('value.nothing')}</p>
            )}
          </section>
        );
      })}
    </>
  );
}
