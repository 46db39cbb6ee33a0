import type { TFunction } from 'i18next';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import type { QueueEntry } from '../../intake/cases/case-queue.js';
import { languageCodes, languages } from '../../intake/i18n/languages.js';
import { channels, incidentCategories, reportStatuses } from '../../intake/report/report-schema.js';
import type { DirectoryEntry } from '../console/console-dependencies.js';
import { countryName } from '../../intake/routing/display-names.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { countryChoices } from '../public/country-names.js';
import { DateTime } from '../time/date-time.js';

export interface QueueQuery {
  status: string;
  category: string;
  country: string;
  channel: string;
  language: string;
  agency: string;
  assigned: string;
}

function Select(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  any: string;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        <option value="">{props.any}</option>
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The queue: urgent first, then oldest, with the filters a shift lead uses and a search by reference or indicator. */
export function QueuePage(props: {
  t: TFunction;
  language: LanguageCode;
  query: QueueQuery;
  entries: QueueEntry[];
  nextHref: string | undefined;
  users: StaffUser[];
  agencies: DirectoryEntry[];
  agencyName: (id: string) => string;
  error?: string | undefined;
}) {
  const { t, query, language } = props;
  const name = (userId: string | null) =>
    userId ? (props.users.find((user) => user.id === userId)?.username ?? t('actor.formerUser')) : '';
  const { alliance, others } = countryChoices(language);
  return (
    <>
      <h1>{t('queue.title')}</h1>
      <form method="get" action="/staff/search" class="filters" role="search">
        <div>
          <label for="q">{t('queue.search')}</label>
          <input type="search" id="q" name="q" aria-describedby="q-hint" />
          <p class="hint" id="q-hint">
            {t('queue.searchHint')}
          </p>
        </div>
        <button type="submit">{t('queue.searchButton')}</button>
      </form>
      <form method="get" action="/staff" class="filters">
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
          id="assigned"
          label={t('queue.assigned')}
          value={query.assigned}
          any={t('queue.anyone')}
          options={[{ value: 'me', label: t('queue.me') }]}
        />
        <button type="submit" class="primary">
          {t('queue.filter')}
        </button>
      </form>
      {props.error ? (
        <p class="error" role="alert" data-message={props.error}>
          {t(props.error)}
        </p>
      ) : null}
      {props.entries.length === 0 ? (
        <p>{t('queue.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('queue.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.reference')}</th>
                <th scope="col">{t('queue.status')}</th>
                <th scope="col">{t('queue.category')}</th>
                <th scope="col">{t('queue.country')}</th>
                <th scope="col">{t('queue.channel')}</th>
                <th scope="col">{t('queue.language')}</th>
                <th scope="col">{t('queue.received')}</th>
                <th scope="col">{t('queue.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr>
                  <td>
                    <a href={`/staff/cases/${entry.reference}`}>{entry.reference}</a>{' '}
                    {entry.urgent ? <span class="urgent-badge">{t('queue.urgent')}</span> : null}
                    {!entry.consentShare ? <span class="badge">{t('queue.noConsent')}</span> : null}
                  </td>
                  <td>{t(`status.${entry.status}`)}</td>
                  <td>
                    {entry.category ? t(`delivery:categories.${entry.category}`) : t('delivery:categories.unknown')}
                  </td>
                  <td>{entry.country ? countryName(entry.country, language) : ''}</td>
                  <td>{t(`channel.${entry.channel}`)}</td>
                  <td>{entry.language}</td>
                  <td>
                    <DateTime iso={entry.createdAt} />
                  </td>
                  <td>{name(entry.assignedTo)}</td>
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
