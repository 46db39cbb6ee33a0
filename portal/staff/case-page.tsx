import type { TFunction } from 'i18next';
import { mayAssignOthers } from '../../intake/cases/case-actor.js';
import type { StaffUser } from '../../intake/accounts/account-store.js';
import { replyTemplates } from '../../intake/cases/reply-templates.js';
import { languages, type LanguageCode } from '../../intake/i18n/languages.js';
import { nonLinkingKinds } from '../../intake/indicators/indicator.js';
import { reportStatuses } from '../../intake/report/report-schema.js';
import { actorLabel, CaseHistory } from '../console/case-history.js';
import type { DirectoryEntry } from '../console/console-dependencies.js';
import { EvidenceList } from '../console/evidence-list.js';
import { ReportDetails } from '../console/report-details.js';
import { ScreeningFinding } from './screening-finding.js';
import type { UrgentClockView } from '../../intake/urgent/urgent-cases.js';
import { UrgentCaseClock } from './urgent-case-clock.js';
import { FreezeRequestsCaseSection } from './mule-case-section.js';
import type { FreezeRequestView } from '../../intake/mules/mule-use-cases.js';
import { CaseCompoundsSection } from './compound-case-section.js';
import type { CaseCompound } from '../../intake/compounds/compound-read-models.js';
import { SafetyFlags } from '../console/safety-flags.js';
import { RecoveryAgentFlag } from './checks-recovery-flag.js';
import { DateTime, viewerDateTime } from '../time/date-time.js';
import { caseEvidence } from '../../intake/cases/case-evidence.js';
import { triageStatuses } from '../../intake/cases/triage-case.js';
import { lossOf, safetyFlagsOf } from '../../intake/report/report-glance.js';
import type { StaffCaseFile } from '../../intake/cases/staff-case-file.js';

/** A case as the page shows it: the staff case file, with its routing in sentences for staff. */
export interface StaffCaseView extends StaffCaseFile {
  routingLines: string[];
}

export interface StaffCasePageProps {
  t: TFunction;
  language: LanguageCode;
  view: StaffCaseView;
  user: StaffUser;
  token: string;
  agencies: DirectoryEntry[];
  agencyName: (id: string) => string;
  /** What the last action did, or why it could not be done, and in which form. */
  notice?: string | undefined;
  error?: { form: string; key: string } | undefined;
  /** Text for the reply box: a template filled in, or what was typed before an error. */
  replyDraft?: string | undefined;
  /** Typed text kept for a form that was refused. */
  typed?: Record<string, string>;
  /** An urgent case's acknowledgement clock (urgent-case-clock.tsx); none for a case that never was urgent. */
  urgentClock?: UrgentClockView | undefined;
  /** The case's freeze requests (mule-case-section.tsx); none shown without them. */
  freezeRequests?: readonly FreezeRequestView[] | undefined;
  /** The scam compounds proposed for the case or confirmed (not shown without the register). */
  compounds?: CaseCompound[] | undefined;
}

function Form(props: { action: string; token: string; children: unknown; class?: string }) {
  return (
    <form method="post" action={props.action} class={props.class ?? 'stacked'}>
      <input type="hidden" name="token" value={props.token} />
      {props.children as never}
    </form>
  );
}

function FormError(props: { t: TFunction; error: StaffCasePageProps['error']; form: string }) {
  return props.error?.form === props.form ? (
    <p class="error" role="alert" data-message={props.error.key}>
      {props.t(props.error.key)}
    </p>
  ) : null;
}

/**
 * A case as hotline staff work it: everything the reporter said, what the
 * intake made of it (indicators, links, routing, deliveries), what everyone
 * did since, and every action, each a small form that works without script.
 */
export function StaffCasePage(props: StaffCasePageProps) {
  const { t, view, user, token, language } = props;
  const { state, report } = view;
  const base = `/staff/cases/${state.reference}`;
  const staffUsers = view.users.filter((candidate) => candidate.role !== 'agency');
  const assignsOthers = mayAssignOthers(user.role);
  const evidence = caseEvidence(report, view.additions);
  const who = (actor: string) => actorLabel(actor, view.users, t, props.agencyName);
  const primary = view.routing?.agencies.find((agency) => agency.role === 'primary')?.agencyId;
  const copies =
    view.routing?.agencies.filter((agency) => agency.role === 'copy').map((agency) => agency.agencyId) ?? [];
  const flags = safetyFlagsOf(report);
  const loss = lossOf(report);
  const safeContact = Boolean(report.safety.safeContactMethod || report.safety.safeContactTime);

  return (
    <>
      <h1>
        {t('case.title', { reference: `\u2068${state.reference}\u2069` })}{' '}
        {state.urgent ? <span class="urgent-badge">{t('queue.urgent')}</span> : null}{' '}
        <span class="badge">{t(`status.${state.status}`)}</span>
        {view.withdrawal ? (
          <span class="badge" data-message="case.withdrawnByReporter">
            {t('case.withdrawnByReporter')}
          </span>
        ) : null}
      </h1>
      <p class="hint">
        {t('case.summary', {
          received: viewerDateTime(state.createdAt),
          channel: t(`channel.${state.channel}`),
          language: state.language,
          assignee: state.assignedTo ? who(`user:${state.assignedTo}`) : t('case.unassigned'),
        })}
        {state.duplicateOf ? (
          <>
            {' '}
            {t('case.duplicateOf')}{' '}
            <a href={`/staff/cases/${state.duplicateOf.reference}`}>{state.duplicateOf.reference}</a>
          </>
        ) : null}
      </p>
      {props.notice ? (
        <p class="notice" role="status" data-message={props.notice}>
          {t(props.notice)}
        </p>
      ) : null}
      {!state.consentShare ? <p class="error">{t('case.withheld')}</p> : null}

      <div class="case-first-screen">
        <section class="panel glance" aria-labelledby="glance-title" id="glance">
          <h2 id="glance-title">{t('case.atAGlance')}</h2>
          <p class="flags" data-flags={flags.join(' ')}>
            <SafetyFlags
              t={t}
              language={language}
              urgent={state.urgent}
              urgentKey="queue.urgent"
              flags={flags}
              loss={loss}
            />
            <RecoveryAgentFlag t={t} shown={view.recoveryAgent} />
            {flags.length === 0 && !loss && !state.urgent && !view.recoveryAgent ? (
              <span class="hint">{t('case.noFlags')}</span>
            ) : null}
          </p>
          <p
            class={safeContact ? 'urgent-contact' : 'hint'}
            id="urgent-contact"
            data-message={safeContact ? 'case.urgentContact' : 'case.noUrgentContact'}
          >
            {safeContact ? (
              <>
                <strong>{t('case.urgentContact')}</strong> <bdi>{report.safety.safeContactMethod ?? '—'}</bdi>
                {' · '}
                <bdi>{report.safety.safeContactTime ?? '—'}</bdi> {t('case.phoneWatched')}
              </>
            ) : (
              t('case.noUrgentContact')
            )}
          </p>
          <section aria-labelledby="linked-title" id="linked" class="glance-linked">
            <h3 id="linked-title">
              {t('section.linked')} <bdi data-linked={view.linked.length}>({view.linked.length})</bdi>
            </h3>
            {view.linked.length > 0 ? (
              <ul>
                {view.linked.map((linked) => (
                  <li>
                    <a href={`/staff/cases/${linked.reference}`}>
                      <bdi>{linked.reference}</bdi>
                    </a>{' '}
                    {linked.shared.length > 0 ? (
                      <span data-message="linked.shares">
                        {t('linked.shares', {
                          items: linked.shared
                            .map((item) => `${t(`indicatorKind.${item.kind}`)} \u2068${item.value}\u2069`)
                            .join(', '),
                        })}
                      </span>
                    ) : null}{' '}
                    {linked.byHand ? <span class="badge">{t('linked.byHand')}</span> : null}{' '}
                    <Form action={`${base}/unlink`} token={token} class="inline-form">
                      <input type="hidden" name="other" value={linked.reference} />
                      <button type="submit" class="danger">
                        {t('linked.unlink')}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="hint">{t('linked.none')}</p>
            )}
          </section>
        </section>
        <section class="panel triage" aria-labelledby="triage-title" id="triage">
          <h2 id="triage-title">{t('triage.title')}</h2>
          <p class="hint">
            {t('case.assignedTo')}{' '}
            <bdi>{state.assignedTo ? who(`user:${state.assignedTo}`) : t('case.unassigned')}</bdi>
          </p>
          {state.assignedTo !== user.id ? (
            <Form action={`${base}/assign`} token={token} class="inline-form">
              <input type="hidden" name="assignee" value={user.id} />
              <button type="submit" id="take-it">
                {t('triage.take')}
              </button>
            </Form>
          ) : null}
          <FormError t={t} error={props.error} form="triage" />
          <Form action={`${base}/triage`} token={token} class="triage-form">
            <fieldset>
              <legend>{t('triage.status')}</legend>
              <span class="choices">
                {triageStatuses.map((status) => (
                  <label>
                    <input type="radio" name="status" value={status} checked={status === state.status} />{' '}
                    {t(`status.${status}`)}
                  </label>
                ))}
              </span>
            </fieldset>
            <fieldset>
              <legend>
                {t('triage.answer', {
                  language: `\u2068${languages.find((info) => info.code === state.language)?.nativeName ?? state.language}\u2069`,
                })}
              </legend>
              <span class="choices templates">
                <label>
                  <input type="radio" name="template" value="" checked /> {t('triage.noAnswer')}
                </label>
                {replyTemplates.map((template) => (
                  <label>
                    <input type="radio" name="template" value={template} /> {t(`replyTemplate.${template}`)}
                  </label>
                ))}
              </span>
            </fieldset>
            <button type="submit" class="primary" id="triage-apply">
              {t('triage.apply')}
            </button>
          </Form>
        </section>
      </div>

      <div class="case-layout">
        <div>
          <UrgentCaseClock
            t={t}
            clock={props.urgentClock}
            now={new Date()}
            reference={state.reference}
            token={props.token}
            agencyName={props.agencyName}
          />
          <ScreeningFinding t={t} report={report} />
          <ReportDetails t={t} language={language} report={report} />
          <FreezeRequestsCaseSection t={t} requests={props.freezeRequests} token={props.token} />
          {props.compounds ? (
            <CaseCompoundsSection t={t} token={props.token} reference={state.reference} compounds={props.compounds} />
          ) : null}

          <section class="panel" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{t('section.evidence')}</h2>
            <EvidenceList t={t} files={evidence} base={`/staff/evidence/${state.reference}`} />
          </section>

          <section class="panel" aria-labelledby="indicators-title">
            <h2 id="indicators-title">{t('section.indicators')}</h2>
            {view.indicators.length > 0 ? (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('indicator.kind')}</th>
                      <th scope="col">{t('indicator.value')}</th>
                      <th scope="col">{t('indicator.original')}</th>
                      <th scope="col">{t('indicator.validity')}</th>
                      <th scope="col">{t('indicator.source')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.indicators.map((indicator) => (
                      <tr>
                        <td>{t(`indicatorKind.${indicator.kind}`)}</td>
                        <td>
                          {/* Amounts and salaries link no reports, so there is nothing to search for. */}
                          {nonLinkingKinds.has(indicator.kind) ? (
                            indicator.value
                          ) : (
                            <a href={`/staff/search?q=${encodeURIComponent(`${indicator.kind}:${indicator.value}`)}`}>
                              {indicator.value}
                            </a>
                          )}
                        </td>
                        <td>{indicator.original}</td>
                        <td data-message={`validity.${indicator.validity}`}>{t(`validity.${indicator.validity}`)}</td>
                        <td>{indicator.source}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p class="hint">{t('value.nothing')}</p>
            )}
          </section>

          <section class="panel" aria-labelledby="routing-title" id="routing">
            <h2 id="routing-title">{t('section.routing')}</h2>
            <ul>
              {view.routingLines.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
            {view.routing ? (
              <p
                class="hint"
                data-message="routing.plannedBy"
                data-planned-by={view.routing.plannedBy === 'rules' ? 'rules' : 'staff'}
              >
                {t('routing.plannedBy', {
                  by: view.routing.plannedBy === 'rules' ? t('routing.rules') : who(view.routing.plannedBy),
                  at: viewerDateTime(view.routing.plannedAt),
                })}
              </p>
            ) : null}
            {view.responses.length > 0 ? (
              <>
                <h3>{t('agencyResponse.title')}</h3>
                <ul>
                  {view.responses.map((response) => (
                    <li data-agency={response.agencyId} data-decision={response.decision ?? 'open'}>
                      <strong>{props.agencyName(response.agencyId)}</strong>:{' '}
                      {response.decision ? t(`agencyResponse.${response.decision}`) : t('agencyResponse.open')}
                      {response.reason ? <span class="reporter-text">{response.reason}</span> : null}
                      {response.caseNumber
                        ? ` · ${t('agencyResponse.caseNumber', { number: response.caseNumber })}`
                        : ''}
                      {response.actions.length > 0 ? (
                        <ul>
                          {response.actions.map((action) => (
                            <li>
                              <DateTime iso={action.createdAt} />: {t(`agencyAction.${action.action}`)}
                              {action.note ? <span class="reporter-text">{action.note}</span> : null}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>

          <section class="panel" aria-labelledby="deliveries-title" id="deliveries">
            <h2 id="deliveries-title">{t('section.deliveries')}</h2>
            {view.deliveries.length > 0 ? (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('delivery.agency')}</th>
                      <th scope="col">{t('delivery.method')}</th>
                      <th scope="col">{t('delivery.status')}</th>
                      <th scope="col">{t('delivery.attempts')}</th>
                      <th scope="col">{t('delivery.lastError')}</th>
                      <th scope="col">
                        <span class="visually-hidden">{t('delivery.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.deliveries.map((delivery) => (
                      <tr>
                        <td>{props.agencyName(delivery.agencyId)}</td>
                        <td>{t(`deliveryMethod.${delivery.method}`)}</td>
                        <td>{t(`deliveryStatus.${delivery.status}`)}</td>
                        <td>{delivery.attempts}</td>
                        <td>{delivery.lastError ?? ''}</td>
                        <td>
                          {delivery.status === 'failed' ? (
                            <Form action={`${base}/deliveries/${delivery.id}/retry`} token={token} class="inline-form">
                              <button type="submit">{t('delivery.retry')}</button>
                            </Form>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p class="hint">{state.consentShare ? t('delivery.none') : t('case.withheld')}</p>
            )}
          </section>

          <section class="panel" aria-labelledby="additions-title">
            <h2 id="additions-title">{t('section.additions')}</h2>
            {view.additions.length > 0 ? (
              <ul>
                {view.additions.map((addition) => (
                  <li>
                    <DateTime iso={addition.createdAt} /> ({t(`channel.${addition.channel}`)})
                    {addition.text ? <div class="reporter-text">{addition.text}</div> : null}
                    {addition.evidence.length > 0 ? (
                      <div>{t('additions.files', { count: addition.evidence.length })}</div>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="hint">{t('value.nothing')}</p>
            )}
          </section>

          <section class="panel" aria-labelledby="messages-title" id="messages">
            <h2 id="messages-title">{t('section.messages')}</h2>
            {view.messages.length > 0 ? (
              <ul>
                {view.messages.map((message) => (
                  <li>
                    <DateTime iso={message.createdAt} /> — {who(message.author)}{' '}
                    <span class="badge" data-message={`chatStatus.${message.chatStatus ?? 'not_sent'}`}>
                      {t(`chatStatus.${message.chatStatus ?? 'not_sent'}`)}
                    </span>
                    {message.chatError ? <span class="hint"> {message.chatError}</span> : null}
                    <div class="reporter-text">{message.body}</div>
                    {message.chatStatus === 'failed' ? (
                      <Form action={`${base}/messages/${message.id}/resend`} token={token} class="inline-form">
                        <button type="submit">{t('reply.resend')}</button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="hint">{t('value.nothing')}</p>
            )}
          </section>

          <section class="panel" aria-labelledby="notes-title" id="notes">
            <h2 id="notes-title">{t('section.notes')}</h2>
            {view.notes.length > 0 ? (
              <ul>
                {view.notes.map((note) => (
                  <li>
                    <DateTime iso={note.createdAt} /> — {who(note.author)}
                    <div class="reporter-text">{note.body}</div>
                  </li>
                ))}
              </ul>
            ) : (
              <p class="hint">{t('value.nothing')}</p>
            )}
          </section>

          <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">{t('section.history')}</h2>
            <CaseHistory
              t={t}
              events={view.history}
              viewers={view.viewers}
              users={view.users}
              agencyName={props.agencyName}
            />
          </section>
        </div>

        <aside aria-label={t('case.actions')}>
          <section class="panel" aria-labelledby="work-title" id="work">
            <h2 id="work-title">{t('case.work')}</h2>
            <FormError t={t} error={props.error} form="assign" />
            <Form action={`${base}/assign`} token={token}>
              <label for="assignee">{t('case.assignTo')}</label>
              <select id="assignee" name="assignee">
                <option value="">{t('case.unassigned')}</option>
                {(assignsOthers ? staffUsers : staffUsers.filter((candidate) => candidate.id === user.id)).map(
                  (candidate) => (
                    <option value={candidate.id} selected={candidate.id === state.assignedTo}>
                      {candidate.username}
                    </option>
                  ),
                )}
              </select>
              <button type="submit">{t('case.assign')}</button>
            </Form>
            <FormError t={t} error={props.error} form="status" />
            <Form action={`${base}/status`} token={token}>
              <label for="status">{t('case.status')}</label>
              <select id="status" name="status">
                {reportStatuses.map((status) => (
                  <option value={status} selected={status === state.status}>
                    {t(`status.${status}`)}
                  </option>
                ))}
              </select>
              <label for="duplicateOf">{t('case.duplicateOfLabel')}</label>
              <input
                type="text"
                id="duplicateOf"
                name="duplicateOf"
                value={props.typed?.duplicateOf ?? state.duplicateOf?.reference ?? ''}
                placeholder="RL-XXXX-XXXX"
              />
              <button type="submit">{t('case.changeStatus')}</button>
            </Form>
          </section>

          <section class="panel" aria-labelledby="reply-title" id="reply">
            <h2 id="reply-title">{t('reply.title')}</h2>
            <p
              class="hint"
              data-message={
                !state.consentContact
                  ? 'reply.noConsent'
                  : view.chat?.reachable
                    ? 'reply.viaChat'
                    : 'reply.statusPageOnly'
              }
              data-channel={state.consentContact && view.chat?.reachable ? view.chat.channel : undefined}
            >
              {!state.consentContact
                ? t('reply.noConsent')
                : view.chat?.reachable
                  ? t('reply.viaChat', { channel: t(`channel.${view.chat.channel}`) })
                  : t('reply.statusPageOnly')}
            </p>
            {report.safety.safeContactMethod || report.safety.safeContactTime ? (
              <p class="error">
                {t('reply.safeContact', {
                  method: report.safety.safeContactMethod ?? '—',
                  time: report.safety.safeContactTime ?? '—',
                })}
              </p>
            ) : null}
            <FormError t={t} error={props.error} form="reply" />
            <Form action={`${base}/reply`} token={token}>
              <label for="template">{t('reply.template')}</label>
              <select id="template" name="template">
                <option value="">{t('reply.noTemplate')}</option>
                {replyTemplates.map((template) => (
                  <option value={template}>{t(`replyTemplate.${template}`)}</option>
                ))}
              </select>
              <button type="submit" name="action" value="preview">
                {t('reply.useTemplate', { language: state.language })}
              </button>
              <label for="reply-body">{t('reply.message')}</label>
              <textarea id="reply-body" name="body" rows={6}>
                {props.replyDraft ?? ''}
              </textarea>
              <button type="submit" name="action" value="send" class="primary">
                {t('reply.send')}
              </button>
            </Form>
          </section>

          <section class="panel" aria-labelledby="note-title">
            <h2 id="note-title">{t('note.title')}</h2>
            <FormError t={t} error={props.error} form="note" />
            <Form action={`${base}/note`} token={token}>
              <label for="note-body">{t('note.label')}</label>
              <textarea id="note-body" name="body" rows={4}>
                {props.typed?.note ?? ''}
              </textarea>
              <button type="submit">{t('note.add')}</button>
            </Form>
          </section>

          <section class="panel" aria-labelledby="link-title">
            <h2 id="link-title">{t('linked.title')}</h2>
            <FormError t={t} error={props.error} form="link" />
            <Form action={`${base}/link`} token={token}>
              <label for="link-other">{t('linked.other')}</label>
              <input
                type="text"
                id="link-other"
                name="other"
                value={props.typed?.other ?? ''}
                placeholder="RL-XXXX-XXXX"
              />
              <button type="submit">{t('linked.link')}</button>
            </Form>
          </section>

          <section class="panel" aria-labelledby="correct-title">
            <h2 id="correct-title">{t('routing.correctTitle')}</h2>
            <p class="hint">{t('routing.correctHint')}</p>
            <FormError t={t} error={props.error} form="routing" />
            <Form action={`${base}/routing`} token={token}>
              <label for="primary">{t('routing.primary')}</label>
              <select id="primary" name="primary">
                {props.agencies.map((agency) => (
                  <option value={agency.id} selected={agency.id === primary}>
                    {props.agencyName(agency.id)}
                    {agency.country ? ` (${agency.country})` : ''}
                  </option>
                ))}
              </select>
              <fieldset>
                <legend>{t('routing.copies')}</legend>
                {props.agencies.map((agency) => (
                  <label>
                    <input type="checkbox" name="copies" value={agency.id} checked={copies.includes(agency.id)} />{' '}
                    {props.agencyName(agency.id)}
                    {agency.country ? ` (${agency.country})` : ''}
                  </label>
                ))}
              </fieldset>
              <label for="routing-reason">{t('routing.reason')}</label>
              <textarea id="routing-reason" name="reason" rows={3}>
                {props.typed?.reason ?? ''}
              </textarea>
              <button type="submit">{t('routing.correct')}</button>
            </Form>
          </section>
        </aside>
      </div>
    </>
  );
}
