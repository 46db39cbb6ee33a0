import type { TFunction } from 'i18next';
import { agencyActionKinds, type AgencyCaseResponse } from '../../intake/cases/agency-responses.js';
import type { InboxEntry } from '../../intake/cases/agency-inbox.js';
import type { CaseDocument } from '../../intake/delivery/case-document.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import type { ReportAddition } from '../../intake/store/report-followups.js';
import { EvidenceList } from '../console/evidence-list.js';
import { ReportDetails } from '../console/report-details.js';
import { ScreeningFinding } from '../staff/screening-finding.js';
import { CaseCompoundsSection } from '../staff/compound-case-section.js';
import type { CaseCompound } from '../../intake/compounds/compound-read-models.js';
import { SafetyFlags } from '../console/safety-flags.js';
import { lossOf, safetyFlagsOf } from '../../intake/report/report-glance.js';
import { DateTime } from '../time/date-time.js';
import { caseEvidence } from '../../intake/cases/case-evidence.js';

/** The agency's cases: urgent first, then the newest, with what the agency answered so far. */
export function InboxPage(props: {
  t: TFunction;
  agencyName: string;
  entries: InboxEntry[];
  nextHref: string | undefined;
}) {
  const { t } = props;
  return (
    <>
      <h1>{t('agency.inboxTitle', { agency: `\u2068${props.agencyName}\u2069` })}</h1>
      {props.entries.length === 0 ? (
        <p>{t('inbox.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('agency.inboxCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agency.reference')}</th>
                <th scope="col">{t('agency.offence')}</th>
                <th scope="col">{t('agency.received')}</th>
                <th scope="col">{t('inbox.role')}</th>
                <th scope="col">{t('inbox.yourAnswer')}</th>
                <th scope="col">{t('inbox.caseNumber')}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr>
                  <td>
                    <a href={`/agency/cases/${entry.reference}`}>
                      <bdi>{entry.reference}</bdi>
                    </a>{' '}
                    {entry.urgent ? <span class="urgent-badge">{t('agency.urgent')}</span> : null}
                  </td>
                  <td>
                    {entry.category ? t(`delivery:categories.${entry.category}`) : t('delivery:categories.unknown')}
                  </td>
                  <td>
                    <DateTime iso={entry.routedAt} />
                  </td>
                  <td>{t(`inbox.${entry.role === 'primary' ? 'primary' : 'copy'}`)}</td>
                  <td data-message={`agencyResponse.${entry.decision ?? 'open'}`}>
                    {entry.decision ? t(`agencyResponse.${entry.decision}`) : t('agencyResponse.open')}
                  </td>
                  <td>{entry.caseNumber ? <bdi>{entry.caseNumber}</bdi> : ''}</td>
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

export interface AgencyCaseProps {
  t: TFunction;
  language: LanguageCode;
  document: CaseDocument;
  routingLines: string[];
  additions: ReportAddition[];
  response: AgencyCaseResponse | undefined;
  token: string;
  notice?: string | undefined;
  error?: { form: string; key: string } | undefined;
  typed?: Record<string, string>;
  /** The scam compounds the case is confirmed on (not shown without the register). */
  compounds?: CaseCompound[] | undefined;
}

function Form(props: { action: string; token: string; children: unknown }) {
  return (
    <form method="post" action={props.action} class="stacked">
      <input type="hidden" name="token" value={props.token} />
      {props.children as never}
    </form>
  );
}

/** One of the agency's cases: the whole report (shared with consent), why it came here, and the agency's answers. */
export function AgencyCasePage(props: AgencyCaseProps) {
  const { t, document, response, token } = props;
  const base = `/agency/cases/${document.reference}`;
  const evidence = caseEvidence(document.report, props.additions);
  const formError = (form: string) =>
    props.error?.form === form ? (
      <p class="error" role="alert" data-message={props.error.key}>
        {t(props.error.key)}
      </p>
    ) : null;
  return (
    <>
      <h1>
        {t('agency.caseTitle', { reference: `\u2068${document.reference}\u2069` })}{' '}
        {document.urgent ? <span class="urgent-badge">{t('agency.urgent')}</span> : null}{' '}
        <span class="badge">{t(`inbox.${document.role === 'primary' ? 'primary' : 'copy'}`)}</span>
      </h1>
      <p class="flags" data-flags={safetyFlagsOf(document.report).join(' ')}>
        <SafetyFlags
          t={t}
          language={props.language}
          urgent={false}
          urgentKey="agency.urgent"
          flags={safetyFlagsOf(document.report)}
          loss={lossOf(document.report)}
        />
      </p>
      {props.notice ? (
        <p class="notice" role="status" data-message={props.notice}>
          {t(props.notice)}
        </p>
      ) : null}
      <div class="case-layout">
        <div>
          <section class="panel" aria-labelledby="why-title">
            <h2 id="why-title">{t('inbox.why')}</h2>
            <ul>
              {props.routingLines.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
          </section>
          <ScreeningFinding t={t} report={document.report} />
          <ReportDetails t={t} language={props.language} report={document.report} />
          {props.compounds ? (
            <CaseCompoundsSection
              t={t}
              token={props.token}
              reference={document.reference}
              compounds={props.compounds}
              viewer="agency"
            />
          ) : null}
          <section class="panel" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{t('section.evidence')}</h2>
            <EvidenceList t={t} files={evidence} base={`/agency/evidence/${document.reference}`} />
          </section>
          <section class="panel" aria-labelledby="additions-title">
            <h2 id="additions-title">{t('section.additions')}</h2>
            {props.additions.length > 0 ? (
              <ul>
                {props.additions.map((addition) => (
                  <li>
                    <DateTime iso={addition.createdAt} />
                    {addition.text ? <div class="reporter-text">{addition.text}</div> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="hint">{t('value.nothing')}</p>
            )}
          </section>
          {document.amendments.length > 0 ? (
            <section class="panel" aria-labelledby="amendments-title">
              <h2 id="amendments-title">{t('inbox.amendmentsTitle')}</h2>
              <p class="hint">{t('inbox.amendmentsHint')}</p>
              <ol>
                {document.amendments.map((amendment) => (
                  <li>
                    <DateTime iso={amendment.amendedAt} />{' '}
                    {t('inbox.amendment', { version: amendment.version, fields: amendment.fields.join(', ') })}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
          <section class="panel" aria-labelledby="indicators-title">
            <h2 id="indicators-title">{t('section.indicators')}</h2>
            <ul>
              {document.indicators.map((indicator) => (
                <li>
                  {t(`indicatorKind.${indicator.kind}`)}: <bdi>{indicator.value}</bdi> (
                  {t(`validity.${indicator.validity}`)})
                </li>
              ))}
            </ul>
          </section>
          <section class="panel" aria-labelledby="linked-title">
            <h2 id="linked-title">{t('section.linked')}</h2>
            {document.linkedReports.length > 0 ? (
              <ul>
                {document.linkedReports.map((linked) => (
                  <li>
                    <a href={`/agency/cases/${linked.reference}`}>{linked.reference}</a>{' '}
                    {linked.shared.length > 0
                      ? t('linked.shares', {
                          items: linked.shared
                            .map((item) => `${t(`indicatorKind.${item.kind}`)} \u2068${item.value}\u2069`)
                            .join(', '),
                        })
                      : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {document.linkedElsewhere > 0 ? (
              <p>{t('inbox.linkedElsewhere', { count: document.linkedElsewhere })}</p>
            ) : null}
            {document.linkedReports.length === 0 && document.linkedElsewhere === 0 ? (
              <p class="hint">{t('linked.none')}</p>
            ) : null}
          </section>
        </div>
        <aside aria-label={t('case.actions')}>
          <section class="panel" aria-labelledby="decision-title" id="decision">
            <h2 id="decision-title">{t('inbox.decisionTitle')}</h2>
            <p>{response?.decision ? t(`agencyResponse.${response.decision}`) : t('agencyResponse.open')}</p>
            {formError('decision')}
            <Form action={`${base}/decision`} token={token}>
              <label for="reason">{t('inbox.reason')}</label>
              <textarea id="reason" name="reason" rows={3}>
                {props.typed?.reason ?? ''}
              </textarea>
              <div>
                <button type="submit" name="decision" value="accepted" class="primary">
                  {t('inbox.accept')}
                </button>{' '}
                <button type="submit" name="decision" value="declined" class="danger">
                  {t('inbox.decline')}
                </button>
              </div>
            </Form>
          </section>
          <section class="panel" aria-labelledby="number-title">
            <h2 id="number-title">{t('inbox.caseNumber')}</h2>
            {formError('caseNumber')}
            <Form action={`${base}/case-number`} token={token}>
              <label for="caseNumber">{t('inbox.caseNumberLabel')}</label>
              <input
                type="text"
                id="caseNumber"
                name="caseNumber"
                value={props.typed?.caseNumber ?? response?.caseNumber ?? ''}
              />
              <button type="submit">{t('inbox.save')}</button>
            </Form>
          </section>
          <section class="panel" aria-labelledby="action-title" id="actions">
            <h2 id="action-title">{t('inbox.actionsTitle')}</h2>
            {response && response.actions.length > 0 ? (
              <ul>
                {response.actions.map((action) => (
                  <li>
                    <DateTime iso={action.createdAt} />: {t(`agencyAction.${action.action}`)}
                    {action.note ? <div class="reporter-text">{action.note}</div> : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {formError('action')}
            <Form action={`${base}/action`} token={token}>
              <label for="action">{t('inbox.action')}</label>
              <select id="action" name="action">
                {agencyActionKinds.map((kind) => (
                  <option value={kind}>{t(`agencyAction.${kind}`)}</option>
                ))}
              </select>
              <label for="note">{t('inbox.note')}</label>
              <textarea id="note" name="note" rows={2}>
                {props.typed?.note ?? ''}
              </textarea>
              <p class="hint">{t('inbox.actionHint')}</p>
              <button type="submit">{t('inbox.record')}</button>
            </Form>
          </section>
        </aside>
      </div>
    </>
  );
}
