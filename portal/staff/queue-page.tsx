import type { TFunction } from 'i18next';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import type { QueueRow } from '../../intake/cases/case-queue.js';
import { languageCodes, languages } from '../../intake/i18n/languages.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { channels, incidentCategories, reportStatuses } from '../../intake/report/report-schema.js';
import { countryName } from '../../intake/routing/display-names.js';
import type { DirectoryEntry } from '../console/console-dependencies.js';
import { RelativeAge, ShortDateTime } from '../console/relative-age.js';
import { SafetyFlags } from '../console/safety-flags.js';
import { RecoveryAgentFlag } from './checks-recovery-flag.js';
import type { UrgentClockView } from '../../intake/urgent/urgent-cases.js';
import { UrgentTimeLeft } from './urgent-time-left.js';
import { countryChoices } from '../public/country-names.js';

export interface QueueQuery {
  status: string;
  category: string;
  country: string;
  channel: string;
  language: string;
  agency: string;
  assigned: string;
  /** `only` or `hide` the cases their reporter withdrew; empty: both. */
  withdrawn: string;
}

/** The filters behind the toggle: set ones keep it open, so a filter in force is never hidden. */
const moreFilters = ['category', 'country', 'channel', 'language', 'agency', 'withdrawn'] as const;

function Select(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  any: string;
}) {
  return (
    <span class="filter">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        <option value="">{props.any}</option>
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A row's flags, then whether it may be shared at all. */
function Flags(props: { t: TFunction; entry: QueueRow; language: LanguageCode }) {
  const { t, entry } = props;
  return (
    <>
      <SafetyFlags
        t={t}
        language={props.language}
        urgent={entry.urgent}
        urgentKey="queue.urgent"
        flags={entry.flags}
        loss={entry.loss}
        compact
      />
      <RecoveryAgentFlag t={t} shown={entry.recoveryAgent} />
      {!entry.consentShare ? <span class="badge">{t('queue.noConsent')}</span> : null}
      {entry.withdrawnAt ? (
        <span class="badge" data-message="queue.withdrawnByReporter">
          {t('queue.withdrawnByReporter')}
        </span>
      ) : null}
    </>
  );
}

/**
 * The queue at a glance for a long shift at 1366×768: one line of filters
 * (the rest behind a toggle), then one line per case with what decides which
 * to open first: its flags, how long it has waited, how many reports it is
 * linked to and by what, and the first line of the story. Each row can be
 * taken (assigned to oneself) straight from here.
 */
export function QueuePage(props: {
  t: TFunction;
  language: LanguageCode;
  query: QueueQuery;
  entries: QueueRow[];
  nextHref: string | undefined;
  users: StaffUser[];
  user: StaffUser;
  token: string;
  agencies: DirectoryEntry[];
  agencyName: (id: string) => string;
  now: Date;
  error?: string | undefined;
  /** The urgent cases' clocks, for the time left to take each (urgent-time-left.tsx). */
  urgentClocks?: ReadonlyMap<string, UrgentClockView> | undefined;
}) {
  const { t, query, language } = props;
  const name = (userId: string | null) =>
    userId ? (props.users.find((user) => user.id === userId)?.username ?? t('actor.formerUser')) : '';
  const { alliance, others } = countryChoices(language);
  const moreSet = moreFilters.some((filter) => query[filter] !== '');
  const showsStory = props.entries.some((entry) => entry.storyLine !== undefined);
  return (
    <>
      <div class="queue-bar">
        <h1>{t('queue.title')}</h1>
        <form method="get" action="/staff/search" class="bar-form" role="search">
          <label for="q" class="visually-hidden">
            {t('queue.search')}
          </label>
          <input type="search" id="q" name="q" placeholder={t('queue.searchShort')} title={t('queue.searchHint')} />
          <button type="submit">{t('queue.searchButton')}</button>
        </form>
        <form method="get" action="/staff" class="bar-form" id="queue-filters">
          <Select
            id="status"
            label={t('queue.status')}
            value={query.status}
            any={t('queue.open')}
            options={[
              ...reportStatuses.map((status) => ({ value: status, label: t(`status.${status}`) })),
              { value: 'all', label: t('queue.allStatuses') },
            ]}
          />
          <Select
            id="assigned"
            label={t('queue.assigned')}
            value={query.assigned}
            any={t('queue.anyone')}
            options={[{ value: 'me', label: t('queue.me') }]}
          />
          <details class="more-filters" open={moreSet}>
            <summary>{t('queue.moreFilters')}</summary>
            <div class="more-filters-body">
              <Select
                id="category"
                label={t('queue.category')}
                value={query.category}
                any={t('queue.any')}
                options={incidentCategories.map((category) => ({
                  value: category,
                  label: t(`delivery:categories.${category}`),
                }))}
              />
              <Select
                id="country"
                label={t('queue.country')}
                value={query.country}
                any={t('queue.any')}
                options={[...alliance, ...others].map((choice) => ({ value: choice.code, label: choice.name }))}
              />
              <Select
                id="channel"
                label={t('queue.channel')}
                value={query.channel}
                any={t('queue.any')}
                options={channels.map((channel) => ({ value: channel, label: t(`channel.${channel}`) }))}
              />
              <Select
                id="language"
                label={t('queue.language')}
                value={query.language}
                any={t('queue.any')}
                options={languageCodes.map((code) => ({
                  value: code,
                  label: languages.find((info) => info.code === code)!.nativeName,
                }))}
              />
              <Select
                id="agency"
                label={t('queue.agency')}
                value={query.agency}
                any={t('queue.any')}
                options={props.agencies.map((agency) => ({ value: agency.id, label: props.agencyName(agency.id) }))}
              />
              <Select
                id="withdrawn"
                label={t('queue.withdrawnFilter')}
                value={query.withdrawn}
                any={t('queue.any')}
                options={[
                  { value: 'only', label: t('queue.withdrawnOnly') },
                  { value: 'hide', label: t('queue.withdrawnHidden') },
                ]}
              />
            </div>
          </details>
          <button type="submit" class="primary">
            {t('queue.filter')}
          </button>
        </form>
      </div>
      {props.error ? (
        <p class="error" role="alert" data-message={props.error}>
          {t(props.error)}
        </p>
      ) : null}
      {props.entries.length === 0 ? (
        <p>{t('queue.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="queue">
            <caption class="visually-hidden">{t('queue.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.reference')}</th>
                <th scope="col">{t('queue.flags')}</th>
                <th scope="col">{t('queue.age')}</th>
                <th scope="col">{t('queue.status')}</th>
                <th scope="col">{t('queue.category')}</th>
                <th scope="col">{t('queue.linked')}</th>
                {showsStory ? (
                  <th scope="col" class="story">
                    {t('queue.story')}
                  </th>
                ) : null}
                <th scope="col">{t('queue.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr data-reference={entry.reference} class={entry.urgent ? 'urgent-row' : undefined}>
                  <th scope="row">
                    <a href={`/staff/cases/${entry.reference}`}>
                      <bdi>{entry.reference}</bdi>
                    </a>
                  </th>
                  <td class="flags">
                    <Flags t={t} entry={entry} language={language} />
                    <UrgentTimeLeft t={t} clock={props.urgentClocks?.get(entry.reportId)} now={props.now} />
                  </td>
                  <td class="age">
                    <RelativeAge iso={entry.createdAt} now={props.now} />{' '}
                    <span class="hint">
                      <ShortDateTime iso={entry.createdAt} now={props.now} />
                    </span>
                  </td>
                  <td>{t(`status.${entry.status}`)}</td>
                  <td class="kind">
                    {entry.category ? t(`delivery:categories.${entry.category}`) : t('delivery:categories.unknown')}
                    {entry.country ? (
                      <>
                        {' · '}
                        <bdi>{countryName(entry.country, language)}</bdi>
                      </>
                    ) : null}
                  </td>
                  <td class="linked" data-linked={entry.linkedCount}>
                    {entry.linkedCount > 0 ? (
                      <>
                        <bdi>{entry.linkedCount}</bdi>{' '}
                        {entry.strongest ? (
                          <span class="shared" data-kind={entry.strongest.kind}>
                            {t(`indicatorKind.${entry.strongest.kind}`)} <bdi>{entry.strongest.value}</bdi>
                          </span>
                        ) : null}
                      </>
                    ) : (
                      <span class="hint">0</span>
                    )}
                  </td>
                  {showsStory ? (
                    <td class="story" dir="auto">
                      {entry.storyLine ? <bdi>{entry.storyLine}</bdi> : ''}
                    </td>
                  ) : null}
                  <td class="assignee">
                    {entry.assignedTo ? (
                      <bdi>{name(entry.assignedTo)}</bdi>
                    ) : (
                      <form method="post" action={`/staff/cases/${entry.reference}/assign`} class="inline-form">
                        <input type="hidden" name="token" value={props.token} />
                        <input type="hidden" name="assignee" value={props.user.id} />
                        <button type="submit" class="small">
                          {t('queue.take')}
                          <span class="visually-hidden">
                            {' '}
                            <bdi>{entry.reference}</bdi>
                          </span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.nextHref ? (
        <p class="pager">
          <a href={props.nextHref}>{t('queue.next')}</a>
        </p>
      ) : null}
    </>
  );
}
