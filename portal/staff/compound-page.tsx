import type { TFunction } from 'i18next';
import { ActionOutcome } from '../console/action-outcome.js';
import type {
  CompoundCaseEntry,
  CompoundFile,
  LinkedIndicatorGroup,
} from '../../intake/compounds/compound-read-models.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { DateTime } from '../time/date-time.js';
import { CompoundDecisionForm } from './compound-decision-form.js';
import { CompoundMonthChart } from './compound-month-chart.js';
import { CompoundReason } from './compound-reason.js';

const indicatorGroups: LinkedIndicatorGroup[] = ['recruiters', 'accounts', 'wallets'];

function CaseList(props: {
  t: TFunction;
  entries: CompoundCaseEntry[];
  caseHref: (reference: string) => string;
  name: string;
  decide?: { token: string; compoundId: string } | undefined;
}) {
  const { t } = props;
  return (
    <ul data-list={props.name}>
      {props.entries.map((entry) => (
        <li data-reference={entry.reference}>
          <a href={props.caseHref(entry.reference)}>
            <bdi>{entry.reference}</bdi>
          </a>{' '}
          {entry.urgent ? <span class="urgent-badge">{t('agency.urgent')}</span> : null} ·{' '}
          {t('compounds.page.reported')} <DateTime iso={entry.createdAt} />
          {props.decide ? (
            <>
              <CompoundReason t={t} reason={entry.reason} detail={entry.detail} />
              <CompoundDecisionForm
                t={t}
                token={props.decide.token}
                compoundId={props.decide.compoundId}
                reference={entry.reference}
                back="compound"
                state={entry.state}
              />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * A compound's page: what the register says of it, the people held there
 * now, confirmed reports per month, the recruiters, accounts and wallets of
 * its cases with how many cases name each, and (for staff) the proposals to
 * decide. An agency reads the same page with only its own cases in it.
 */
export function CompoundFilePage(props: {
  t: TFunction;
  language: LanguageCode;
  file: CompoundFile;
  viewer: 'staff' | 'agency';
  caseHref: (reference: string) => string;
  exportHref: string;
  token?: string;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { t, file } = props;
  const { compound } = file;
  const staff = props.viewer === 'staff';
  return (
    <>
      <h1>
        <bdi>{compound.name}</bdi>
      </h1>
      <ActionOutcome t={t} notice={props.notice} error={props.error} />
      <section class="panel" aria-labelledby="compound-facts">
        <h2 id="compound-facts" class="visually-hidden">
          {t('compounds.title')}
        </h2>
        <dl class="fields">
          <dt>{t('compounds.column.country')}</dt>
          <dd>
            <bdi>{compound.country}</bdi>
          </dd>
          <dt>{t('compounds.column.status')}</dt>
          <dd data-status={compound.status}>{t(`compounds.status.${compound.status}`)}</dd>
          {compound.aliases.length > 0 ? (
            <>
              <dt>{t('compounds.page.aliases')}</dt>
              <dd>
                {compound.aliases.map((alias, index) => (
                  <>
                    {index > 0 ? ' · ' : ''}
                    <bdi>{alias}</bdi>
                  </>
                ))}
              </dd>
            </>
          ) : null}
          {compound.area ? (
            <>
              <dt>{t('compounds.page.area')}</dt>
              <dd>
                <bdi>{compound.area}</bdi>
              </dd>
            </>
          ) : null}
          {compound.latitude !== null && compound.longitude !== null ? (
            <>
              <dt>{t('compounds.page.coordinates')}</dt>
              <dd>
                <bdi dir="ltr">{`${compound.latitude}, ${compound.longitude}`}</bdi>
              </dd>
            </>
          ) : null}
          {compound.landmarks.length > 0 ? (
            <>
              <dt>{t('compounds.page.landmarks')}</dt>
              <dd>
                {compound.landmarks.map((landmark, index) => (
                  <>
                    {index > 0 ? ' · ' : ''}
                    <bdi>{landmark}</bdi>
                  </>
                ))}
              </dd>
            </>
          ) : null}
          {staff && compound.notes ? (
            <>
              <dt>{t('compounds.page.notes')}</dt>
              <dd class="reporter-text">{compound.notes}</dd>
            </>
          ) : null}
        </dl>
        <p>
          {staff ? (
            <>
              <a href={`/staff/compounds/${compound.id}/edit`}>{t('compounds.edit')}</a> ·{' '}
            </>
          ) : null}
          <a href={props.exportHref} download={`compound-${compound.id}.misp.json`}>
            {t('compounds.page.export')}
          </a>
        </p>
      </section>

      <section class="panel" aria-labelledby="held-title" id="held">
        <h2 id="held-title">
          {t('compounds.page.heldNow')} <bdi data-count="heldNow">({file.counts.heldNow})</bdi>
        </h2>
        <p class="hint">{t('compounds.page.heldNowHint')}</p>
        {file.heldNow.length === 0 ? (
          <p data-message="compounds.page.heldNowNone">{t('compounds.page.heldNowNone')}</p>
        ) : (
          <CaseList t={t} entries={file.heldNow} caseHref={props.caseHref} name="held" />
        )}
      </section>

      <section class="panel" aria-labelledby="months-title" id="months">
        <h2 id="months-title">{t('compounds.page.overTime')}</h2>
        <CompoundMonthChart t={t} language={props.language} months={file.months} />
      </section>

      <section class="panel" aria-labelledby="confirmed-title" id="confirmed">
        <h2 id="confirmed-title">
          {t('compounds.page.confirmed')} <bdi data-count="confirmed">({file.counts.confirmed})</bdi>
        </h2>
        {file.confirmed.length === 0 ? (
          <p data-message="compounds.page.noReports">{t('compounds.page.noReports')}</p>
        ) : (
          <CaseList
            t={t}
            entries={file.confirmed}
            caseHref={props.caseHref}
            name="confirmed"
            decide={staff && props.token ? { token: props.token, compoundId: compound.id } : undefined}
          />
        )}
      </section>

      {staff ? (
        <section class="panel" aria-labelledby="proposed-title" id="proposed">
          <h2 id="proposed-title">
            {t('compounds.page.proposed')} <bdi data-count="proposed">({file.counts.proposed})</bdi>
          </h2>
          {file.proposed.length === 0 ? (
            <p data-message="compounds.page.proposedNone">{t('compounds.page.proposedNone')}</p>
          ) : (
            <CaseList
              t={t}
              entries={file.proposed}
              caseHref={props.caseHref}
              name="proposed"
              decide={props.token ? { token: props.token, compoundId: compound.id } : undefined}
            />
          )}
          {file.rejected > 0 ? <p class="hint">{t('compounds.page.rejected', { count: file.rejected })}</p> : null}
        </section>
      ) : null}

      {indicatorGroups.map((group) => (
        <section class="panel" aria-labelledby={`${group}-title`} id={group}>
          <h2 id={`${group}-title`}>{t(`compounds.page.${group}`)}</h2>
          {file.indicators[group].length === 0 ? (
            <p>{t('compounds.page.noIndicators')}</p>
          ) : (
            <div class="table-wrap">
              <table data-table={group}>
                <thead>
                  <tr>
                    <th scope="col">{t('compounds.page.indicator')}</th>
                    <th scope="col">{t('compounds.page.cases')}</th>
                  </tr>
                </thead>
                <tbody>
                  {file.indicators[group].map((indicator) => (
                    <tr data-value={indicator.value}>
                      <td>
                        <bdi dir="ltr">{indicator.value}</bdi> ({t(`indicatorKind.${indicator.kind}`)})
                      </td>
                      <td data-cases={indicator.cases}>{indicator.cases}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </>
  );
}
