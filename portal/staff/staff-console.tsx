import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { StaffRole } from '../../intake/accounts/account-store.js';
import { consoleActor } from '../../intake/cases/case-actor.js';
import { CaseError } from '../../intake/cases/case-error.js';
import type { QueueFilters } from '../../intake/cases/case-queue.js';
import { InvalidCursorError } from '../../intake/store/keyset-cursor.js';
import { replyTemplates } from '../../intake/cases/reply-templates.js';
import { isCountryCode } from '../../intake/i18n/country-codes.js';
import { isLanguageCode } from '../../intake/i18n/languages.js';
import { searchedIndicators } from '../../intake/indicators/searched-indicators.js';
import { normalizeReportReference } from '../../intake/report/reference-codes.js';
import { channels, incidentCategories, reportStatuses, type ReportStatus } from '../../intake/report/report-schema.js';
import { caseErrorKeys } from '../console/case-error-keys.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { consoleFormToken, postedForm, requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { evidenceRoute } from '../console/evidence-route.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageHeaders } from '../public/public-security.js';
import { AuditPage } from './audit-page.js';
import { StaffCasePage, type StaffCasePageProps } from './case-page.js';
import { QueuePage, type QueueQuery } from './queue-page.js';
import { SearchPage } from './search-page.js';
import { loadDutyDesk } from './urgent-duty-desk.js';

const staffRoles: readonly StaffRole[] = ['hotline', 'supervisor', 'admin'];
const pageSize = 50;

type StaffContext = Context<ConsoleEnv>;

/** A filter of the queue: a value it knows, or nothing (a link from an older page must not fail). */
const filterValue = (allowed: (value: string) => boolean) =>
  z
    .string()
    .optional()
    .transform((value) => (value !== undefined && allowed(value) ? value : ''));
const oneOf = (values: readonly string[]) => (value: string) => values.includes(value);

/** A posted text field, cut to its length (a list of values keeps its first). */
const postedText = (max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).slice(0, max));
const postedList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : ([] as string[]).concat(value)));

const assignForm = z.object({ assignee: postedText(100) });
const statusForm = z.object({ status: postedText(40), duplicateOf: postedText(40) });
const noteForm = z.object({ body: postedText(20_000) });
const linkForm = z.object({ other: postedText(40) });
const replyForm = z.object({ body: postedText(4000), template: postedText(60), action: postedText(20) });
const triageForm = z.object({ status: postedText(40), template: postedText(60) });
const routingForm = z.object({ primary: postedText(100), copies: postedList, reason: postedText(2000) });
const auditQuery = z.object({
  reference: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim().slice(0, 40)),
  action: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim().slice(0, 60)),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

/**
 * The hotline's console: the queue, a search by reference or indicator, each
 * case with everything known about it and every action staff take on it,
 * and (for administrators) the audit log. Each action is one use case of the
 * intake, which audits it; a handler reads the form, calls it and answers.
 */
export function createStaffConsole(dependencies: ConsoleDependencies) {
  const { cipher, i18n, accounts, links, cases, views } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const app = new Hono<ConsoleEnv>();
  const { tOf, page, refuse, notFound } = consolePages(i18n, cipher, dependencies.agencyName);
  const staffOnly = requireConsoleUser(accounts, cipher, staffRoles, refuse);
  const adminOnly = requireConsoleUser(accounts, cipher, ['admin'], refuse);
  // The size limit before anything reads a body (the session check reads a post's form token).
  app.use('/staff/cases/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Too large', 413) }));
  for (const path of ['/staff', '/staff/search', '/staff/cases/*']) app.use(path, ...publicPageHeaders, staffOnly);
  // The duty desk's banner on every hotline page, loaded after the session check (only staff pay for it).
  for (const path of ['/staff', '/staff/search', '/staff/cases/*']) app.use(path, loadDutyDesk(dependencies.urgent));
  // Evidence files carry their own, stricter headers (a sandbox, no sniffing): not the pages' ones.
  app.use('/staff/evidence/*', staffOnly);
  app.use('/staff/audit', ...publicPageHeaders, adminOnly, loadDutyDesk(dependencies.urgent));

  const agencyNameIn = (c: StaffContext) => (id: string) => dependencies.agencyName(id, visitorLanguage(c));
  const actor = (c: StaffContext) => consoleActor(c.get('user'));
  const referenceOf = (c: StaffContext) => c.req.param('reference') ?? '';

  const queueQuery = z.object({
    status: filterValue((value) => value === 'all' || oneOf(reportStatuses)(value)),
    category: filterValue(oneOf(incidentCategories)),
    country: filterValue(isCountryCode),
    channel: filterValue(oneOf(channels)),
    language: filterValue(isLanguageCode),
    agency: filterValue((value) => dependencies.agencies.some((agency) => agency.id === value)),
    assigned: filterValue((value) => value === 'me'),
    withdrawn: filterValue((value) => value === 'only' || value === 'hide'),
    cursor: z.string().optional(),
  });

  app.get('/staff', zValidator('query', queueQuery), async (c) => {
    const t = tOf(c);
    const user = c.get('user');
    const { cursor, ...query } = c.req.valid('query') satisfies QueueQuery & { cursor?: string | undefined };
    const filters: QueueFilters = {
      ...(query.status ? { status: query.status as ReportStatus | 'all' } : {}),
      ...(query.category ? { category: query.category } : {}),
      ...(query.country ? { country: query.country } : {}),
      ...(query.channel ? { channel: query.channel } : {}),
      ...(query.language ? { language: query.language } : {}),
      ...(query.agency ? { agencyId: query.agency } : {}),
      ...(query.assigned === 'me' ? { assignedTo: user.id } : {}),
      ...(query.withdrawn === 'only' || query.withdrawn === 'hide' ? { withdrawn: query.withdrawn } : {}),
    };
    let result: Awaited<ReturnType<typeof views.queue>> = { entries: [], nextCursor: null };
    let error: string | undefined;
    try {
      result = await views.queue(actor(c), filters, { limit: pageSize, ...(cursor ? { cursor } : {}) });
    } catch (caught) {
      if (!(caught instanceof InvalidCursorError)) throw caught;
      error = 'queue.badCursor';
    }
    const urgentClocks = await dependencies.urgent?.clocksOf(result.entries.map((entry) => entry.reportId));
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
        user={user}
        token={consoleFormToken(cipher, c)}
        agencies={dependencies.agencies}
        agencyName={agencyNameIn(c)}
        now={now()}
        error={error}
        urgentClocks={urgentClocks}
      />,
    );
  });

  /**
   * The countries a number written locally ("0917 123 4567") is read in: those of the deployment's agency
   * directory, which are the hotline's. A worker types a number as the victim said it, without the +63.
   */
  const searchCountries = [
    ...new Set(
      dependencies.agencies.flatMap((agency) =>
        agency.country && isCountryCode(agency.country) ? [agency.country] : [],
      ),
    ),
  ].sort();
  const searchQuery = z.object({
    q: z.string().optional(),
    country: filterValue((value) => searchCountries.includes(value)),
  });

  app.get('/staff/search', zValidator('query', searchQuery), async (c) => {
    const t = tOf(c);
    const query = c.req.valid('query');
    const text = (query.q ?? '').trim().slice(0, 500);
    const reference = normalizeReportReference(text);
    if (reference && (await cases.find(actor(c), reference))) return c.redirect(`/staff/cases/${reference}`, 303);
    const results = await Promise.all(
      searchedIndicators(text, query.country ? [query.country] : searchCountries).map(
        async ({ indicator, country }) => ({
          indicator,
          ...(country ? { country } : {}),
          reports: await links.reportsCarrying(indicator.kind, indicator.value, 200),
          links: links.links(indicator),
        }),
      ),
    );
    return page(
      c,
      t('search.title'),
      <SearchPage
        t={t}
        language={visitorLanguage(c)}
        query={text}
        country={query.country}
        countries={searchCountries}
        results={results}
      />,
    );
  });

  /** The case page, its look audited; with a refusal to show, or a notice of what was just done. */
  async function showCase(c: StaffContext, extra: Partial<StaffCasePageProps> = {}, status: 200 | 400 = 200) {
    const language = visitorLanguage(c);
    const seen = await cases.view(actor(c), referenceOf(c), (found) => views.staffCaseFile(found.reportId));
    if (!seen) return notFound(c);
    const file = seen.view;
    const urgentClock = (await dependencies.urgent?.clocksOf([file.state.reportId]))?.get(file.state.reportId);
    const freezeRequests = await dependencies.mules?.freezeRequestsOfReport(file.report.id);
    const t = tOf(c);
    const notice = c.req.query('done');
    return page(
      c,
      t('case.title', { reference: seen.reference }),
      <StaffCasePage
        t={t}
        language={language}
        view={{
          ...file,
          routingLines: file.routing
            ? dependencies.describeRouting(file.routing.decision, { reader: 'staff', language })
            : [],
        }}
        user={c.get('user')}
        token={consoleFormToken(cipher, c)}
        agencies={dependencies.agencies}
        agencyName={agencyNameIn(c)}
        notice={notice && /^[a-zA-Z.]+$/.test(notice) && i18n.exists(`staff:${notice}`) ? notice : undefined}
        urgentClock={urgentClock}
        compounds={await dependencies.compounds?.ofCase(actor(c), file.state.reportId)}
        freezeRequests={freezeRequests}
        {...extra}
      />,
      status,
    );
  }

  app.get('/staff/cases/:reference', (c) => showCase(c));

  const done = (c: StaffContext, key: string, anchor: string) =>
    c.redirect(`/staff/cases/${normalizeReportReference(referenceOf(c))}?done=${key}#${anchor}`, 303);

  /**
   * Runs one use case for a posted form and answers: on to the case with a
   * notice, or the case again with why it was refused (what was typed kept).
   */
  async function act(
    c: StaffContext,
    form: string,
    run: () => Promise<{ key: string; anchor: string }>,
    typed: Record<string, string> = {},
  ) {
    try {
      const { key, anchor } = await run();
      return done(c, key, anchor);
    } catch (error) {
      if (!(error instanceof CaseError)) throw error;
      if (error.code === 'case.not_found') return notFound(c);
      return showCase(c, { error: { form, key: caseErrorKeys[error.code] }, typed }, 400);
    }
  }

  app.post('/staff/cases/:reference/assign', (c) => {
    const { assignee } = assignForm.parse(postedForm(c));
    return act(c, 'assign', async () => {
      await cases.assign(actor(c), referenceOf(c), assignee || null);
      // Taken from the queue or the case: on to the case's first screen, where triage goes on.
      return { key: 'case.assigned', anchor: 'triage' };
    });
  });

  app.post('/staff/cases/:reference/status', (c) => {
    const { status, duplicateOf } = statusForm.parse(postedForm(c));
    const original = duplicateOf.trim();
    return act(
      c,
      'status',
      async () => {
        await cases.changeStatus(actor(c), referenceOf(c), { status, duplicateOf: original || undefined });
        return { key: 'case.statusChanged', anchor: 'work' };
      },
      { duplicateOf: original },
    );
  });

  app.post('/staff/cases/:reference/note', (c) => {
    const { body } = noteForm.parse(postedForm(c));
    return act(c, 'note', async () => {
      await cases.addNote(actor(c), referenceOf(c), body);
      return { key: 'note.added', anchor: 'notes' };
    });
  });

  for (const [path, state] of [
    ['link', 'linked'],
    ['unlink', 'unlinked'],
  ] as const) {
    app.post(`/staff/cases/:reference/${path}`, (c) => {
      const other = linkForm.parse(postedForm(c)).other.trim();
      return act(
        c,
        'link',
        async () => {
          await cases.setLink(actor(c), referenceOf(c), other, state);
          return { key: `linked.${state}`, anchor: 'linked' };
        },
        { other },
      );
    });
  }

  app.post('/staff/cases/:reference/reply', async (c) => {
    const form = replyForm.parse(postedForm(c));
    const template = (replyTemplates as readonly string[]).includes(form.template) ? form.template : undefined;
    if (form.action === 'preview') {
      // A preview writes nothing: the template in the reporter's language, for staff to edit before sending.
      const found = await cases.find(actor(c), referenceOf(c));
      const file = found ? await views.staffCaseFile(found.reportId) : undefined;
      if (!file) return notFound(c);
      if (!template)
        return showCase(c, { error: { form: 'reply', key: 'reply.chooseTemplate' }, replyDraft: form.body }, 400);
      const draft = i18n.getFixedT(file.state.language, 'messages')(`templates.${template}`, {
        reference: file.state.reference,
      });
      return showCase(c, { replyDraft: draft });
    }
    return act(c, 'reply', async () => {
      const { chat } = await cases.reply(actor(c), referenceOf(c), form.body);
      return { key: chatNotice(chat), anchor: 'messages' };
    });
  });

  app.post('/staff/cases/:reference/triage', (c) => {
    const { status, template } = triageForm.parse(postedForm(c));
    return act(c, 'triage', async () => {
      const { chat } = await cases.triage(actor(c), referenceOf(c), { status, template });
      return { key: chat === null ? 'case.statusChanged' : chatNotice(chat), anchor: 'triage' };
    });
  });

  app.post('/staff/cases/:reference/messages/:id/resend', (c) =>
    act(c, 'reply', async () => {
      const { chat } = await cases.resend(actor(c), referenceOf(c), Number(c.req.param('id')));
      return { key: chatNotice(chat), anchor: 'messages' };
    }),
  );

  app.post('/staff/cases/:reference/deliveries/:id/retry', (c) =>
    act(c, 'delivery', async () => {
      const retried = await cases.retryDelivery(actor(c), c.req.param('id'), referenceOf(c));
      return { key: retried ? 'delivery.retried' : 'delivery.notFailed', anchor: 'deliveries' };
    }),
  );

  app.post('/staff/cases/:reference/routing', (c) => {
    const form = routingForm.parse(postedForm(c));
    const reason = form.reason.trim();
    const known = (id: string) => dependencies.agencies.some((agency) => agency.id === id);
    return act(
      c,
      'routing',
      async () => {
        await cases.correctRouting(actor(c), referenceOf(c), {
          primary: form.primary,
          // A copy that is not an agency of the directory (a stale form) is left out rather than refused.
          copies: form.copies.filter(known),
          reason,
        });
        return { key: 'routing.corrected', anchor: 'routing' };
      },
      { reason },
    );
  });

  app.get('/staff/evidence/:reference/:sha256', evidenceRoute(cases, notFound));

  app.get('/staff/audit', zValidator('query', auditQuery), async (c) => {
    const t = tOf(c);
    const { reference: referenceText, action, before } = c.req.valid('query');
    const found = referenceText ? await cases.find(actor(c), referenceText) : undefined;
    const events =
      referenceText && !found
        ? []
        : await views.auditTrail({
            ...(found ? { reportId: found.reportId } : {}),
            ...(action ? { action } : {}),
            ...(before !== undefined ? { beforeSeq: before } : {}),
            limit: 100,
          });
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
        events={events}
        users={await accounts.listUsers()}
        agencyName={agencyNameIn(c)}
        filter={{ reference: referenceText, action }}
        olderHref={events.length === 100 ? `/staff/audit?${params.toString()}` : undefined}
      />,
    );
  });

  return app;
}

/** The notice after a message to the reporter: whether their chat has it (or will), or only their status page. */
function chatNotice(chat: string): string {
  if (chat === 'sent' || chat === 'queued') return 'reply.sentChat';
  return chat === 'failed' ? 'reply.chatFailed' : 'reply.sentPage';
}
