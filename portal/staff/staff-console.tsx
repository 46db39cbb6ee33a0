import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { StaffRole } from '../../intake/accounts/account-store.js';
import { listCaseQueue, type QueueFilters } from '../../intake/cases/case-queue.js';
import { InvalidCursorError } from '../../intake/store/keyset-cursor.js';
import { CaseWorkError } from '../../intake/cases/case-work.js';
import { replyTemplates } from '../../intake/cases/reply-templates.js';
import { isCountryCode } from '../../intake/i18n/country-codes.js';
import { isLanguageCode } from '../../intake/i18n/languages.js';
import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import { indicatorKinds, type Indicator, type IndicatorKind } from '../../intake/indicators/indicator.js';
import { normalizeIndicator } from '../../intake/indicators/normalize-indicator.js';
import { normalizeReportReference } from '../../intake/report/reference-codes.js';
import { channels, incidentCategories, reportStatuses, type ReportStatus } from '../../intake/report/report-schema.js';
import { appendAuditEvent, caseHistory, caseViewers, searchAuditEvents } from '../../intake/store/audit-log.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { consoleFormToken, postedForm, requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { fieldText } from '../http/read-form.js';
import { evidenceResponse } from '../console/evidence-response.js';
import { publicPageHeaders } from '../public/public-security.js';
import { visitorLanguage } from '../http/request-language.js';
import { AuditPage } from './audit-page.js';
import { StaffCasePage, type StaffCasePageProps, type StaffCaseView } from './case-page.js';
import { QueuePage, type QueueQuery } from './queue-page.js';
import { SearchPage } from './search-page.js';
import { caseEvidence } from '../console/case-evidence.js';

const staffRoles: readonly StaffRole[] = ['hotline', 'supervisor', 'admin'];
const pageSize = 50;
/** Kinds tried, in order, when a search is one bare value that extraction from free text does not catch. */
const bareValueKinds: IndicatorKind[] = ['crypto_address', 'iban', 'email', 'url', 'domain', 'telegram', 'crypto_tx'];

type StaffContext = Context<ConsoleEnv>;

/**
 * The hotline's console: the queue, a search by reference or indicator, each
 * case with everything known about it and every action staff take on it,
 * and (for administrators) the audit log. Every look at a case's personal
 * data and every change is audited with who did it.
 */
export function createStaffConsole(dependencies: ConsoleDependencies) {
  const { db, cipher, i18n, accounts, reports, followups, links, routing, caseWork, agencyResponses, messenger } =
    dependencies;
  const app = new Hono<ConsoleEnv>();
  const { tOf, page, refuse, notFound, actorOf } = consolePages(i18n, cipher);
  const staffOnly = requireConsoleUser(accounts, cipher, staffRoles, refuse);
  const adminOnly = requireConsoleUser(accounts, cipher, ['admin'], refuse);
  // The size limit before anything reads a body (the session check reads a post's form token).
  app.use('/staff/cases/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Too large', 413) }));
  for (const path of ['/staff', '/staff/search', '/staff/cases/*']) app.use(path, ...publicPageHeaders, staffOnly);
  // Evidence files carry their own, stricter headers (a sandbox, no sniffing): not the pages' ones.
  app.use('/staff/evidence/*', staffOnly);
  app.use('/staff/audit', ...publicPageHeaders, adminOnly);

  const agencyNameIn = (c: StaffContext) => (id: string) => dependencies.agencyName(id, visitorLanguage(c));

  app.get('/staff', async (c) => {
    const t = tOf(c);
    const user = c.get('user');
    const pick = (name: string, allowed: (value: string) => boolean) => {
      const value = c.req.query(name) ?? '';
      return allowed(value) ? value : '';
    };
    const query: QueueQuery = {
      status: pick('status', (value) => value === 'all' || (reportStatuses as readonly string[]).includes(value)),
      category: pick('category', (value) => (incidentCategories as readonly string[]).includes(value)),
      country: pick('country', isCountryCode),
      channel: pick('channel', (value) => (channels as readonly string[]).includes(value)),
      language: pick('language', isLanguageCode),
      agency: pick('agency', (value) => dependencies.agencies.some((agency) => agency.id === value)),
      assigned: pick('assigned', (value) => value === 'me'),
    };
    const filters: QueueFilters = {
      ...(query.status ? { status: query.status as ReportStatus | 'all' } : {}),
      ...(query.category ? { category: query.category } : {}),
      ...(query.country ? { country: query.country } : {}),
      ...(query.channel ? { channel: query.channel } : {}),
      ...(query.language ? { language: query.language } : {}),
      ...(query.agency ? { agencyId: query.agency } : {}),
      ...(query.assigned === 'me' ? { assignedTo: user.id } : {}),
    };
    let result: Awaited<ReturnType<typeof listCaseQueue>> = { entries: [], nextCursor: null };
    let error: string | undefined;
    try {
      result = await listCaseQueue(db, filters, {
        limit: pageSize,
        ...(c.req.query('cursor') ? { cursor: c.req.query('cursor')! } : {}),
      });
    } catch (caught) {
      if (!(caught instanceof InvalidCursorError)) throw caught;
      error = 'queue.badCursor';
    }
    const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== ''));
    if (result.nextCursor) params.set('cursor', result.nextCursor);
    return page(
      c,
      t('queue.title'),
      <QueuePage
        t={t}
        language={visitorLanguage(c)}
        query={query}
        entries={result.entries}
        nextHref={result.nextCursor ? `/staff?${params.toString()}` : undefined}
        users={await accounts.listUsers()}
        agencies={dependencies.agencies}
        agencyName={agencyNameIn(c)}
        error={error}
      />,
    );
  });

  /** The indicators a search names: `kind:value` (from a link), what free text holds, or one bare value. */
  function indicatorsOf(text: string): Indicator[] {
    const prefixed = /^([a-z_]+):(.+)$/.exec(text);
    if (prefixed && (indicatorKinds as readonly string[]).includes(prefixed[1]!)) {
      const indicator = normalizeIndicator(prefixed[1] as IndicatorKind, prefixed[2]!);
      return indicator ? [indicator] : [];
    }
    const found = extractIndicators(text, { source: 'search' }).filter((indicator) => indicator.kind !== 'amount');
    if (found.length > 0) return found;
    for (const kind of bareValueKinds) {
      const indicator = normalizeIndicator(kind, text);
      if (indicator) return [indicator];
    }
    return [];
  }

  app.get('/staff/search', async (c) => {
    const t = tOf(c);
    const text = (c.req.query('q') ?? '').trim().slice(0, 500);
    const reference = normalizeReportReference(text);
    if (reference && (await caseWork.reportIdOf(reference))) return c.redirect(`/staff/cases/${reference}`, 303);
    const results = await Promise.all(
      indicatorsOf(text).map(async (indicator) => ({
        indicator,
        reports: await links.reportsCarrying(indicator.kind, indicator.value, 200),
        links: links.links(indicator),
      })),
    );
    return page(c, t('search.title'), <SearchPage t={t} query={text} results={results} />);
  });

  async function loadCase(reportId: string, c: StaffContext): Promise<StaffCaseView | undefined> {
    const [stored, state] = await Promise.all([reports.getReportById(reportId), caseWork.getState(reportId)]);
    if (!stored || !state) return undefined;
    const [linked, storedRouting, deliveries, additions, messages, notes, responses, history, viewers, users, chat] =
      await Promise.all([
        links.linkedReports(reportId),
        routing.getRouting(reportId),
        routing.listDeliveries(reportId),
        followups.listAdditions(reportId),
        followups.listMessagesForStaff(reportId),
        caseWork.listNotes(reportId),
        agencyResponses.list(reportId),
        caseHistory(db, reportId),
        caseViewers(db, reportId),
        accounts.listUsers(),
        messenger.chatOf(reportId),
      ]);
    return {
      state,
      report: stored.report,
      indicators: stored.indicators,
      linked,
      routing: storedRouting,
      routingLines: storedRouting ? dependencies.describeRouting(storedRouting.decision, visitorLanguage(c)) : [],
      deliveries,
      additions,
      messages,
      notes,
      responses,
      history,
      viewers,
      users,
      chat,
    };
  }

  async function showCase(
    c: StaffContext,
    reportId: string,
    extra: Partial<StaffCasePageProps> = {},
    status: 200 | 400 = 200,
  ) {
    const view = await loadCase(reportId, c);
    if (!view) return notFound(c);
    await reports.recordReportViewed(reportId, actorOf(c));
    const t = tOf(c);
    const notice = c.req.query('done');
    return page(
      c,
      t('case.title', { reference: view.state.reference }),
      <StaffCasePage
        t={t}
        language={visitorLanguage(c)}
        view={view}
        user={c.get('user')}
        token={consoleFormToken(cipher, c)}
        agencies={dependencies.agencies}
        agencyName={agencyNameIn(c)}
        notice={notice && /^[a-zA-Z.]+$/.test(notice) && i18n.exists(`staff:${notice}`) ? notice : undefined}
        {...extra}
      />,
      status,
    );
  }

  /** The case a URL names; any reference typed loosely still finds it. */
  async function reportIdIn(c: StaffContext): Promise<string | undefined> {
    return caseWork.reportIdOf(c.req.param('reference') ?? '');
  }

  app.get('/staff/cases/:reference', async (c) => {
    const reportId = await reportIdIn(c);
    return reportId ? showCase(c, reportId) : notFound(c);
  });

  const done = (c: StaffContext, key: string, anchor: string) =>
    c.redirect(`/staff/cases/${normalizeReportReference(c.req.param('reference') ?? '')}?done=${key}#${anchor}`, 303);
  const formText = (c: StaffContext, name: string, max = 4000) => {
    return (fieldText(postedForm(c), name) ?? '').slice(0, max);
  };

  app.post('/staff/cases/:reference/assign', async (c) => {
    const reportId = await reportIdIn(c);
    if (!reportId) return notFound(c);
    const user = c.get('user');
    const assignee = formText(c, 'assignee', 100);
    const mayAssignOthers = user.role === 'supervisor' || user.role === 'admin';
    const known =
      assignee === '' ||
      (await accounts.listUsers()).some((candidate) => candidate.id === assignee && candidate.role !== 'agency');
    if (!known || (!mayAssignOthers && assignee !== '' && assignee !== user.id))
      return showCase(c, reportId, { error: { form: 'assign', key: 'case.assignRefused' } }, 400);
    await caseWork.assign(reportId, assignee || null, actorOf(c));
    return done(c, 'case.assigned', 'work');
  });

  app.post('/staff/cases/:reference/status', async (c) => {
    const reportId = await reportIdIn(c);
    if (!reportId) return notFound(c);
    const status = formText(c, 'status', 40);
    const duplicateOf = formText(c, 'duplicateOf', 40).trim();
    try {
      await caseWork.changeStatus(reportId, status, actorOf(c), duplicateOf || undefined);
    } catch (error) {
      if (!(error instanceof CaseWorkError)) throw error;
      return showCase(
        c,
        reportId,
        { error: { form: 'status', key: `case.error.${error.code.replace('case.', '')}` }, typed: { duplicateOf } },
        400,
      );
    }
    return done(c, 'case.statusChanged', 'work');
  });

  app.post('/staff/cases/:reference/note', async (c) => {
    const reportId = await reportIdIn(c);
    if (!reportId) return notFound(c);
    const body = formText(c, 'body', 20_000);
    if (!body.trim()) return showCase(c, reportId, { error: { form: 'note', key: 'note.empty' } }, 400);
    await caseWork.addNote(reportId, body, actorOf(c));
    return done(c, 'note.added', 'notes');
  });

  for (const [path, state] of [
    ['link', 'linked'],
    ['unlink', 'unlinked'],
  ] as const) {
    app.post(`/staff/cases/:reference/${path}`, async (c) => {
      const reportId = await reportIdIn(c);
      if (!reportId) return notFound(c);
      const other = formText(c, 'other', 40).trim();
      const otherId = await caseWork.reportIdOf(other);
      if (!otherId || otherId === reportId)
        return showCase(
          c,
          reportId,
          { error: { form: 'link', key: otherId ? 'linked.self' : 'linked.notFound' }, typed: { other } },
          400,
        );
      await links.overrideLink(reportId, otherId, state, actorOf(c), new Date(dependencies.now?.() ?? Date.now()));
      return done(c, `linked.${state}`, 'linked');
    });
  }

  app.post('/staff/cases/:reference/reply', async (c) => {
    const reportId = await reportIdIn(c);
    if (!reportId) return notFound(c);
    const form = postedForm(c);
    const body = typeof form.body === 'string' ? form.body.slice(0, 4000) : '';
    const template =
      typeof form.template === 'string' && (replyTemplates as readonly string[]).includes(form.template)
        ? form.template
        : undefined;
    if (form.action === 'preview') {
      const state = (await caseWork.getState(reportId))!;
      if (!template)
        return showCase(c, reportId, { error: { form: 'reply', key: 'reply.chooseTemplate' }, replyDraft: body }, 400);
      const draft = i18n.getFixedT(state.language, 'messages')(`templates.${template}`, { reference: state.reference });
      return showCase(c, reportId, { replyDraft: draft });
    }
    if (!body.trim()) return showCase(c, reportId, { error: { form: 'reply', key: 'reply.empty' } }, 400);
    const { chat } = await messenger.send(reportId, body, actorOf(c));
    return done(
      c,
      chat === 'sent' ? 'reply.sentChat' : chat === 'failed' ? 'reply.chatFailed' : 'reply.sentPage',
      'messages',
    );
  });

  app.post('/staff/cases/:reference/messages/:id/resend', async (c) => {
    const reportId = await reportIdIn(c);
    const message = reportId ? await followups.getMessage(Number(c.req.param('id'))) : undefined;
    if (!reportId || !message || message.reportId !== reportId) return notFound(c);
    const result = await messenger.resend(message.id);
    await appendAuditEvent(db, {
      actor: actorOf(c),
      action: 'report.message_resent',
      reportId,
      at: new Date(dependencies.now?.() ?? Date.now()),
      detail: { messageId: message.id, result: result ?? 'nothing' },
    });
    return done(c, result === 'sent' ? 'reply.sentChat' : 'reply.chatFailed', 'messages');
  });

  app.post('/staff/cases/:reference/deliveries/:id/retry', async (c) => {
    const reportId = await reportIdIn(c);
    if (!reportId) return notFound(c);
    const deliveries = await routing.listDeliveries(reportId);
    const delivery = deliveries.find((candidate) => candidate.id === c.req.param('id'));
    if (!delivery) return notFound(c);
    const retried = await dependencies.retryDelivery(delivery.id, actorOf(c));
    return done(c, retried ? 'delivery.retried' : 'delivery.notFailed', 'deliveries');
  });

  app.post('/staff/cases/:reference/routing', async (c) => {
    const reportId = await reportIdIn(c);
    if (!reportId) return notFound(c);
    const form = postedForm(c);
    const known = (id: unknown): id is string =>
      typeof id === 'string' && dependencies.agencies.some((agency) => agency.id === id);
    const primary = form.primary;
    const copies = [...new Set(([] as unknown[]).concat(form.copies ?? []).filter(known))].filter(
      (id) => id !== primary,
    );
    const reason = typeof form.reason === 'string' ? form.reason.trim().slice(0, 2000) : '';
    if (!known(primary))
      return showCase(
        c,
        reportId,
        { error: { form: 'routing', key: 'routing.unknownAgency' }, typed: { reason } },
        400,
      );
    if (!reason) return showCase(c, reportId, { error: { form: 'routing', key: 'routing.reasonRequired' } }, 400);
    await dependencies.correctRouting(reportId, { primary, copies }, actorOf(c));
    await caseWork.addNote(reportId, `${tOf(c)('routing.notePrefix')} ${reason}`, actorOf(c));
    return done(c, 'routing.corrected', 'routing');
  });

  app.get('/staff/evidence/:reference/:sha256', async (c) => {
    const reportId = await reportIdIn(c);
    const stored = reportId ? await reports.getReportById(reportId) : undefined;
    if (!reportId || !stored) return notFound(c);
    const additions = await followups.listAdditions(reportId);
    const file = caseEvidence(stored.report, additions).find((item) => item.sha256 === c.req.param('sha256'));
    const response = file ? await evidenceResponse(dependencies.evidenceDir, file) : undefined;
    if (!file || !response) return notFound(c);
    await appendAuditEvent(db, {
      actor: actorOf(c),
      action: 'evidence.viewed',
      reportId,
      at: new Date(dependencies.now?.() ?? Date.now()),
      detail: { sha256: file.sha256 },
    });
    return response;
  });

  app.get('/staff/audit', async (c) => {
    const t = tOf(c);
    const referenceText = (c.req.query('reference') ?? '').trim().slice(0, 40);
    const action = (c.req.query('action') ?? '').trim().slice(0, 60);
    const before = Number(c.req.query('before'));
    const reportId = referenceText ? await caseWork.reportIdOf(referenceText) : undefined;
    const events =
      referenceText && !reportId
        ? []
        : await searchAuditEvents(db, {
            ...(reportId ? { reportId } : {}),
            ...(action ? { action } : {}),
            ...(Number.isInteger(before) && before > 0 ? { beforeSeq: before } : {}),
            limit: 100,
          });
    const ids = [...new Set(events.map((event) => event.reportId).filter((id): id is string => id !== null))];
    const references = new Map(
      ids.length > 0
        ? (await db.selectFrom('reports').select(['id', 'reference']).where('id', 'in', ids).execute()).map((row) => [
            row.id,
            row.reference,
          ])
        : [],
    );
    const last = events[events.length - 1];
    const params = new URLSearchParams({
      ...(referenceText ? { reference: referenceText } : {}),
      ...(action ? { action } : {}),
      ...(last ? { before: String(last.seq) } : {}),
    });
    return page(
      c,
      t('audit.title'),
      <AuditPage
        t={t}
        events={events.map((event) => ({
          ...event,
          reference: event.reportId ? references.get(event.reportId) : undefined,
        }))}
        users={await accounts.listUsers()}
        agencyName={agencyNameIn(c)}
        filter={{ reference: referenceText, action }}
        olderHref={events.length === 100 ? `/staff/audit?${params.toString()}` : undefined}
      />,
    );
  });

  return app;
}
