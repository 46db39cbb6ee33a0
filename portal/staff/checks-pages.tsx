import type { TFunction } from 'i18next';
import { checkCategories } from '../../intake/check/check-categories.js';
import type { CheckCandidate, CheckConfirmation } from '../../intake/check/check-review.js';
import type { ListedSafelistEntry } from '../../intake/check/check-safelist.js';
import type { CheckDispute } from '../../intake/check/dispute-review.js';
import { indicatorKinds, nonLinkingKinds } from '../../intake/indicators/indicator.js';
import { ActionOutcome } from '../console/action-outcome.js';
import { DateTime } from '../time/date-time.js';

/** The three pages of the checks, one link each. */
function ChecksNav(props: { t: TFunction; current: 'warnings' | 'disputes' | 'safelist' }) {
  const { t } = props;
  const links = [
    ['warnings', '/staff/checks'],
    ['disputes', '/staff/checks/disputes'],
    ['safelist', '/staff/checks/safelist'],
  ] as const;
  return (
    <nav aria-label={t('checks.nav.label')} class="sub-nav">
      <ul>
        {links.map(([name, href]) => (
          <li>
            <a href={href} aria-current={props.current === name ? 'page' : undefined}>
              {t(`checks.nav.${name}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** An indicator as staff read it: its kind's word and the normalized value. */
function IndicatorValue(props: { t: TFunction; kind: string; value: string }) {
  return (
    <>
      {props.t(`indicatorKind.${props.kind}`)}: <bdi>{props.value}</bdi>
    </>
  );
}

export interface ChecksPageProps {
  t: TFunction;
  token: string;
  minReporters: number;
  /** Supervisors and administrators confirm; the hotline reads. */
  mayDecide: boolean;
  candidates: CheckCandidate[];
  confirmations: CheckConfirmation[];
  notice?: string | undefined;
  error?: string | undefined;
}

/**
 * The warnings of "check before you pay": the candidates (enough distinct
 * reporters, not confirmed) to confirm with a category, and the
 * confirmations, to take back. A check warns only about what is confirmed here.
 */
export function ChecksPage(props: ChecksPageProps) {
  const { t } = props;
  const standing = props.confirmations.filter((entry) => entry.status === 'confirmed');
  const ended = props.confirmations.filter((entry) => entry.status !== 'confirmed');
  return (
    <>
      <h1>{t('checks.title')}</h1>
      <ChecksNav t={t} current="warnings" />
      <p class="hint">{t('checks.rule', { minimum: props.minReporters })}</p>
      <ActionOutcome t={t} notice={props.notice} error={props.error} />

      <section class="panel" aria-labelledby="candidates-title" id="candidates">
        <h2 id="candidates-title">{t('checks.candidates.title')}</h2>
        {props.candidates.length === 0 ? (
          <p data-message="checks.candidates.none">{t('checks.candidates.none')}</p>
        ) : (
          <table data-table="candidates">
            <thead>
              <tr>
                <th scope="col">{t('checks.indicator')}</th>
                <th scope="col">{t('checks.reporters')}</th>
                <th scope="col">{t('checks.reports')}</th>
                <th scope="col">{t('checks.lastReported')}</th>
                {props.mayDecide ? <th scope="col">{t('checks.candidates.confirm')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.candidates.map((candidate) => (
                <tr data-value={candidate.value}>
                  <td>
                    <a
                      href={`/staff/search?${new URLSearchParams({ q: `${candidate.kind}:${candidate.value}` }).toString()}`}
                    >
                      <IndicatorValue t={t} kind={candidate.kind} value={candidate.value} />
                    </a>
                    {candidate.unconfirmedBefore ? (
                      <span class="hint"> {t('checks.candidates.unconfirmedBefore')}</span>
                    ) : null}
                  </td>
                  <td data-reporters={candidate.reporters}>{candidate.reporters}</td>
                  <td>{candidate.reports}</td>
                  <td>
                    <DateTime iso={candidate.lastReportedAt} />
                  </td>
                  {props.mayDecide ? (
                    <td>
                      <form method="post" action="/staff/checks/confirm" class="inline">
                        <input type="hidden" name="token" value={props.token} />
                        <input type="hidden" name="valueHash" value={candidate.valueHash} />
                        <label for={`category-${candidate.valueHash}`}>{t('checks.category.label')}</label>
                        <select name="category" id={`category-${candidate.valueHash}`}>
                          {checkCategories.map((category) => (
                            <option value={category}>{t(`checks.category.${category}`)}</option>
                          ))}
                        </select>
                        <button type="submit">{t('checks.candidates.confirm')}</button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="panel" aria-labelledby="confirmed-title" id="confirmed">
        <h2 id="confirmed-title">{t('checks.confirmed.title')}</h2>
        {standing.length === 0 ? (
          <p data-message="checks.confirmed.none">{t('checks.confirmed.none')}</p>
        ) : (
          <table data-table="confirmed">
            <thead>
              <tr>
                <th scope="col">{t('checks.indicator')}</th>
                <th scope="col">{t('checks.category.label')}</th>
                <th scope="col">{t('checks.reporters')}</th>
                <th scope="col">{t('checks.confirmed.at')}</th>
                {props.mayDecide ? <th scope="col">{t('checks.confirmed.unconfirm')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {standing.map((entry) => (
                <tr data-value={entry.value} data-category={entry.category}>
                  <td>
                    <IndicatorValue t={t} kind={entry.kind} value={entry.value} />
                  </td>
                  <td>{t(`checks.category.${entry.category}`)}</td>
                  <td>{entry.reporters}</td>
                  <td>
                    <DateTime iso={entry.confirmedAt} />
                  </td>
                  {props.mayDecide ? (
                    <td>
                      <form method="post" action="/staff/checks/unconfirm" class="inline">
                        <input type="hidden" name="token" value={props.token} />
                        <input type="hidden" name="valueHash" value={entry.valueHash} />
                        <button type="submit">{t('checks.confirmed.unconfirm')}</button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {ended.length > 0 ? (
        <section class="panel" aria-labelledby="ended-title" id="ended">
          <h2 id="ended-title">{t('checks.ended.title')}</h2>
          <table data-table="ended">
            <thead>
              <tr>
                <th scope="col">{t('checks.indicator')}</th>
                <th scope="col">{t('checks.ended.state')}</th>
                <th scope="col">{t('checks.ended.at')}</th>
              </tr>
            </thead>
            <tbody>
              {ended.map((entry) => (
                <tr data-value={entry.value} data-status={entry.status}>
                  <td>
                    <IndicatorValue t={t} kind={entry.kind} value={entry.value} />
                  </td>
                  <td>{t(`checks.ended.${entry.status}`)}</td>
                  <td>
                    <DateTime iso={entry.changedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}

/** Disputes by owners of a number or site: the open ones to uphold (withdraw the warning) or reject. */
export function CheckDisputesPage(props: {
  t: TFunction;
  token: string;
  mayDecide: boolean;
  open: CheckDispute[];
  decided: CheckDispute[];
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('checks.disputes.title')}</h1>
      <ChecksNav t={t} current="disputes" />
      <p class="hint">{t('checks.disputes.hint')}</p>
      <ActionOutcome t={t} notice={props.notice} error={props.error} />
      {props.open.length === 0 ? <p data-message="checks.disputes.none">{t('checks.disputes.none')}</p> : null}
      {props.open.map((dispute) => (
        <section class="panel" aria-labelledby={`dispute-${dispute.id}`} data-dispute={dispute.reference}>
          <h2 id={`dispute-${dispute.id}`}>
            <bdi>{dispute.reference}</bdi> · <DateTime iso={dispute.createdAt} />
          </h2>
          <ul>
            {dispute.indicators.map((indicator) => (
              <li data-value={indicator.value} data-warning={indicator.warningStands ? 'stands' : 'none'}>
                <IndicatorValue t={t} kind={indicator.kind} value={indicator.value} /> —{' '}
                {t(indicator.warningStands ? 'checks.disputes.warningStands' : 'checks.disputes.noWarning')}
              </li>
            ))}
          </ul>
          <h3>{t('checks.disputes.explanation')}</h3>
          <p class="typed">
            <bdi>{dispute.explanation}</bdi>
          </p>
          <p>
            {t('checks.disputes.contact')}:{' '}
            {dispute.contact ? <bdi>{dispute.contact}</bdi> : t('checks.disputes.noContact')}
            {' · '}
            {t(`channel.${dispute.channel}`)} · <bdi>{dispute.language}</bdi>
          </p>
          {props.mayDecide ? (
            <form method="post" action={`/staff/checks/disputes/${dispute.id}`} class="inline">
              <input type="hidden" name="token" value={props.token} />
              <button type="submit" name="decision" value="uphold">
                {t('checks.disputes.uphold')}
              </button>{' '}
              <button type="submit" name="decision" value="reject">
                {t('checks.disputes.reject')}
              </button>
            </form>
          ) : null}
        </section>
      ))}
      {props.decided.length > 0 ? (
        <section class="panel" aria-labelledby="decided-title" id="decided">
          <h2 id="decided-title">{t('checks.disputes.decidedTitle')}</h2>
          <table data-table="decided">
            <thead>
              <tr>
                <th scope="col">{t('checks.disputes.reference')}</th>
                <th scope="col">{t('checks.disputes.decision')}</th>
                <th scope="col">{t('checks.ended.at')}</th>
              </tr>
            </thead>
            <tbody>
              {props.decided.map((dispute) => (
                <tr data-dispute={dispute.reference} data-status={dispute.status}>
                  <td>
                    <bdi>{dispute.reference}</bdi>
                  </td>
                  <td>{t(`checks.disputes.${dispute.status}`)}</td>
                  <td>{dispute.decidedAt ? <DateTime iso={dispute.decidedAt} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}

/** Kinds a safelist entry may be: those a check answers about. */
const safelistKinds = indicatorKinds.filter((kind) => !nonLinkingKinds.has(kind));

/** What a check never flags, with where each is published; staff add public hotlines and sites here. */
export function CheckSafelistPage(props: {
  t: TFunction;
  token: string;
  mayDecide: boolean;
  entries: ListedSafelistEntry[];
  typed?: { kind: string; value: string; country: string; source: string } | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { t } = props;
  const typed = props.typed ?? { kind: 'phone', value: '', country: '', source: '' };
  return (
    <>
      <h1>{t('checks.safelist.title')}</h1>
      <ChecksNav t={t} current="safelist" />
      <p class="hint">{t('checks.safelist.hint')}</p>
      <p>
        <a href="/staff/checks/safelist/warninglist.json">{t('checks.safelist.warninglist')}</a>
      </p>
      <ActionOutcome t={t} notice={props.notice} error={props.error} />
      <table data-table="safelist">
        <thead>
          <tr>
            <th scope="col">{t('checks.indicator')}</th>
            <th scope="col">{t('checks.safelist.source')}</th>
            <th scope="col">{t('checks.safelist.origin')}</th>
            {props.mayDecide ? <th scope="col">{t('checks.safelist.remove')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.entries.map((entry) => (
            <tr data-value={entry.value} data-origin={entry.origin}>
              <td>
                <IndicatorValue t={t} kind={entry.kind} value={entry.value} />
              </td>
              <td>
                <bdi>{entry.source}</bdi>
              </td>
              <td>{t(`checks.safelist.origins.${entry.origin}`)}</td>
              {props.mayDecide ? (
                <td>
                  {entry.origin === 'staff' ? (
                    <form method="post" action="/staff/checks/safelist/remove" class="inline">
                      <input type="hidden" name="token" value={props.token} />
                      <input type="hidden" name="valueHash" value={entry.valueHash} />
                      <button type="submit">{t('checks.safelist.remove')}</button>
                    </form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.mayDecide ? (
        <section class="panel" aria-labelledby="add-title" id="add">
          <h2 id="add-title">{t('checks.safelist.addTitle')}</h2>
          <form method="post" action="/staff/checks/safelist">
            <input type="hidden" name="token" value={props.token} />
            <div>
              <label for="safelist-kind">{t('checks.safelist.kind')}</label>
              <select name="kind" id="safelist-kind">
                {safelistKinds.map((kind) => (
                  <option value={kind} selected={typed.kind === kind}>
                    {t(`indicatorKind.${kind}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="safelist-value">{t('checks.safelist.value')}</label>
              <input type="text" name="value" id="safelist-value" value={typed.value} required maxlength={500} />
            </div>
            <div>
              <label for="safelist-country">{t('checks.safelist.country')}</label>
              <input type="text" name="country" id="safelist-country" value={typed.country} maxlength={2} />
            </div>
            <div>
              <label for="safelist-source">{t('checks.safelist.source')}</label>
              <input type="text" name="source" id="safelist-source" value={typed.source} required maxlength={300} />
            </div>
            <button type="submit">{t('checks.safelist.add')}</button>
          </form>
        </section>
      ) : null}
    </>
  );
}
