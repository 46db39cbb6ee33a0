import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { listAgencyInbox } from '../../intake/cases/agency-inbox.js';
import { AgencyResponseError } from '../../intake/cases/agency-responses.js';
import { findAgencyCase } from '../../intake/delivery/agency-cases.js';
import { buildCaseDocument } from '../../intake/delivery/case-document.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { normalizeReportReference } from '../../intake/report/reference-codes.js';
import { appendAuditEvent } from '../../intake/store/audit-log.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { InvalidCursorError } from '../../intake/store/keyset-cursor.js';
import { consolePages } from '../console/console-pages.js';
import { consoleFormToken, postedForm, requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { fieldText } from '../http/read-form.js';
import { evidenceResponse } from '../console/evidence-response.js';
import { publicPageHeaders } from '../public/public-security.js';
import { visitorLanguage } from '../http/request-language.js';
import { AgencyCasePage, InboxPage, type AgencyCaseProps } from './agency-pages.js';
import { caseEvidence } from '../console/case-evidence.js';

type AgencyContext = Context<ConsoleEnv>;
const pageSize = 50;

/**
 * The agency inbox: an agency's own cases and nothing else. Every case is
 * looked up from the agency's routing rows, so another agency's case, by
 * URL or reference, answers exactly as a case that does not exist. Taking a
 * case and what the agency does are told to the reporter, in their
 * language, on their status page (and in their chat if they agreed).
 */
export function createAgencyInbox(dependencies: ConsoleDependencies) {
  const { db, cipher, i18n, accounts, reports, followups, links, routing, caseWork, agencyResponses, messenger } =
    dependencies;
  const sources = { reports, links, routing };
  const app = new Hono<ConsoleEnv>();
  const { tOf, page, refuse, notFound, actorOf } = consolePages(i18n, cipher);
  app.use('/agency/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Too large', 413) }));
  const agencyOnly = requireConsoleUser(accounts, cipher, ['agency'], refuse);
  for (const path of ['/agency', '/agency/cases/*']) app.use(path, ...publicPageHeaders, agencyOnly);
  // Evidence files carry their own, stricter headers (a sandbox, no sniffing): not the pages' ones.
  app.use('/agency/evidence/*', agencyOnly);

  const agencyOf = (c: AgencyContext) => c.get('user').agencyId!;
  const at = () => new Date(dependencies.now?.() ?? Date.now());

  app.get('/agency', async (c) => {
    const t = tOf(c);
    const cursor = c.req.query('cursor');
    // A cursor that is not one we handed out (edited, or from before an upgrade) shows the first page.
    const { entries, nextCursor } = await listAgencyInbox(db, agencyOf(c), {
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    }).catch((error: unknown) => {
      if (error instanceof InvalidCursorError) return listAgencyInbox(db, agencyOf(c), { limit: pageSize });
      throw error;
    });
    return page(
      c,
      t('nav.inbox'),
      <InboxPage
        t={t}
        agencyName={dependencies.agencyName(agencyOf(c), visitorLanguage(c))}
        entries={entries}
        nextHref={nextCursor ? `/agency?cursor=${nextCursor}` : undefined}
      />,
    );
  });

  /**
   * The case a URL names, if and only if it is routed to this agency (and
   * shareable): one query filtered by the agency, so another agency's case
   * and a missing one take the same path, and nothing is decrypted before.
   */
  async function routedCase(c: AgencyContext): Promise<{ reportId: string; reference: string } | undefined> {
    const reference = normalizeReportReference(c.req.param('reference') ?? '');
    return reference ? findAgencyCase(db, agencyOf(c), reference) : undefined;
  }

  async function showCase(c: AgencyContext, extra: Partial<AgencyCaseProps> = {}, status: 200 | 400 = 200) {
    const found = await routedCase(c);
    const document = found ? await buildCaseDocument(sources, found.reportId, agencyOf(c)) : undefined;
    if (!found || !document) return notFound(c);
    const { reportId } = found;
    await reports.recordReportViewed(reportId, actorOf(c));
    const language = visitorLanguage(c);
    const t = tOf(c);
    const [additions, responses] = await Promise.all([
      followups.listAdditions(reportId),
      agencyResponses.list(reportId, agencyOf(c)),
    ]);
    const notice = c.req.query('done');
    return page(
      c,
      t('case.title', { reference: document.reference }),
      <AgencyCasePage
        t={t}
        language={language}
        document={document}
        routingLines={dependencies.describeRouting(document.routing, language)}
        additions={additions}
        response={responses[0]}
        token={consoleFormToken(cipher, c)}
        notice={notice && /^[a-zA-Z.]+$/.test(notice) && i18n.exists(`staff:${notice}`) ? notice : undefined}
        {...extra}
      />,
      status,
    );
  }

  app.get('/agency/cases/:reference', (c) => showCase(c));

  const done = (c: AgencyContext, reference: string, key: string, anchor: string) =>
    c.redirect(`/agency/cases/${reference}?done=${key}#${anchor}`, 303);
  const field = (c: AgencyContext, name: string, max: number) => (fieldText(postedForm(c), name) ?? '').slice(0, max);

  /** Tells the reporter, in the language they reported in, what the agency did. */
  async function tellReporter(c: AgencyContext, reportId: string, key: string) {
    const state = (await caseWork.getState(reportId))!;
    const language = state.language as LanguageCode;
    const text = i18n.getFixedT(language, 'messages')(key, {
      agency: dependencies.agencyName(agencyOf(c), language),
      reference: state.reference,
    });
    await messenger.send(reportId, text, `agency:${agencyOf(c)}`);
  }

  app.post('/agency/cases/:reference/decision', async (c) => {
    const found = await routedCase(c);
    if (!found) return notFound(c);
    const decision = await field(c, 'decision', 20);
    const reason = await field(c, 'reason', 4000);
    if (decision !== 'accepted' && decision !== 'declined')
      return showCase(c, { error: { form: 'decision', key: 'inbox.chooseDecision' } }, 400);
    try {
      await agencyResponses.decide(found.reportId, agencyOf(c), decision, reason, actorOf(c));
    } catch (error) {
      if (!(error instanceof AgencyResponseError)) throw error;
      return showCase(c, { error: { form: 'decision', key: 'inbox.reasonRequired' }, typed: { reason } }, 400);
    }
    if (decision === 'accepted') {
      await caseWork.advanceStatus(found.reportId, 'with_agency', ['new', 'triaging', 'referred'], actorOf(c));
      await tellReporter(c, found.reportId, 'updates.accepted');
    }
    return done(c, found.reference, decision === 'accepted' ? 'inbox.accepted' : 'inbox.declined', 'decision');
  });

  app.post('/agency/cases/:reference/case-number', async (c) => {
    const found = await routedCase(c);
    if (!found) return notFound(c);
    const caseNumber = await field(c, 'caseNumber', 200);
    try {
      await agencyResponses.setCaseNumber(found.reportId, agencyOf(c), caseNumber, actorOf(c));
    } catch (error) {
      if (!(error instanceof AgencyResponseError)) throw error;
      return showCase(c, { error: { form: 'caseNumber', key: 'inbox.caseNumberInvalid' }, typed: { caseNumber } }, 400);
    }
    return done(c, found.reference, 'inbox.saved', 'decision');
  });

  app.post('/agency/cases/:reference/action', async (c) => {
    const found = await routedCase(c);
    if (!found) return notFound(c);
    const action = await field(c, 'action', 60);
    const note = await field(c, 'note', 4000);
    try {
      await agencyResponses.addAction(found.reportId, agencyOf(c), action, note, actorOf(c));
    } catch (error) {
      if (!(error instanceof AgencyResponseError)) throw error;
      return showCase(c, { error: { form: 'action', key: 'inbox.unknownAction' }, typed: { note } }, 400);
    }
    await tellReporter(c, found.reportId, `updates.actions.${action}`);
    return done(c, found.reference, 'inbox.recorded', 'actions');
  });

  app.get('/agency/evidence/:reference/:sha256', async (c) => {
    const found = await routedCase(c);
    if (!found) return notFound(c);
    const [stored, additions] = await Promise.all([
      reports.getReportById(found.reportId),
      followups.listAdditions(found.reportId),
    ]);
    const file = stored
      ? caseEvidence(stored.report, additions).find((item) => item.sha256 === c.req.param('sha256'))
      : undefined;
    const response = file ? await evidenceResponse(dependencies.evidenceDir, file) : undefined;
    if (!file || !response) return notFound(c);
    await appendAuditEvent(db, {
      actor: actorOf(c),
      action: 'evidence.viewed',
      reportId: found.reportId,
      at: at(),
      detail: { sha256: file.sha256, agencyId: agencyOf(c) },
    });
    return response;
  });

  return app;
}
