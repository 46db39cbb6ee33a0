import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { consoleActor } from '../../intake/cases/case-actor.js';
import { CaseError } from '../../intake/cases/case-error.js';
import { caseErrorKeys } from '../console/case-error-keys.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { InvalidCursorError } from '../../intake/store/keyset-cursor.js';
import { consolePages } from '../console/console-pages.js';
import { consoleFormToken, postedForm, requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { evidenceRoute } from '../console/evidence-route.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageHeaders } from '../public/public-security.js';
import { AgencyCasePage, InboxPage, type AgencyCaseProps } from './agency-pages.js';

type AgencyContext = Context<ConsoleEnv>;
const pageSize = 50;

const postedText = (max: number) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).slice(0, max));
const decisionForm = z.object({ decision: postedText(20), reason: postedText(4000) });
const caseNumberForm = z.object({ caseNumber: postedText(200) });
const actionForm = z.object({ action: postedText(60), note: postedText(4000) });
const inboxQuery = z.object({ cursor: z.string().max(500).optional().catch(undefined) });

/**
 * The agency inbox: an agency's own cases and nothing else. Every case is
 * found through the intake's one rule of which agency sees which case, so
 * another agency's case, by URL or reference, answers exactly as a case that
 * does not exist. Each answer is one use case, told to the reporter in their
 * language in the same transaction where it concerns them.
 */
export function createAgencyInbox(dependencies: ConsoleDependencies) {
  const { cipher, i18n, accounts, cases, views } = dependencies;
  const app = new Hono<ConsoleEnv>();
  const { tOf, page, refuse, notFound } = consolePages(i18n, cipher, dependencies.agencyName);
  app.use('/agency/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Too large', 413) }));
  const agencyOnly = requireConsoleUser(accounts, cipher, ['agency'], refuse);
  for (const path of ['/agency', '/agency/cases/*']) app.use(path, ...publicPageHeaders, agencyOnly);
  // Evidence files carry their own, stricter headers (a sandbox, no sniffing): not the pages' ones.
  app.use('/agency/evidence/*', agencyOnly);

  const agencyOf = (c: AgencyContext) => c.get('user').agencyId!;
  const actor = (c: AgencyContext) => consoleActor(c.get('user'));
  const referenceOf = (c: AgencyContext) => c.req.param('reference') ?? '';

  app.get('/agency', zValidator('query', inboxQuery), async (c) => {
    const t = tOf(c);
    const { cursor } = c.req.valid('query');
    // A cursor that is not one we handed out (edited, or from before an upgrade) shows the first page.
    const { entries, nextCursor } = await views
      .agencyInbox(agencyOf(c), { limit: pageSize, ...(cursor ? { cursor } : {}) })
      .catch((error: unknown) => {
        if (error instanceof InvalidCursorError) return views.agencyInbox(agencyOf(c), { limit: pageSize });
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

  async function showCase(c: AgencyContext, extra: Partial<AgencyCaseProps> = {}, status: 200 | 400 = 200) {
    const agencyId = agencyOf(c);
    const seen = await cases.view(actor(c), referenceOf(c), async (found) => {
      const document = await views.agencyCase(found.reportId, agencyId);
      if (!document) return undefined;
      const [additions, responses] = await Promise.all([
        views.additions(found.reportId),
        views.agencyAnswers(found.reportId, agencyId),
      ]);
      const compounds = await dependencies.compounds?.ofCase(actor(c), found.reportId);
      return { document, additions, response: responses[0], compounds };
    });
    if (!seen) return notFound(c);
    const { document, additions, response, compounds } = seen.view;
    const language = visitorLanguage(c);
    const t = tOf(c);
    const notice = c.req.query('done');
    return page(
      c,
      t('agency.caseTitle', { reference: document.reference }),
      <AgencyCasePage
        t={t}
        language={language}
        document={document}
        routingLines={dependencies.describeRouting(document.routing, { reader: 'agency', language })}
        additions={additions}
        response={response}
        compounds={compounds}
        token={consoleFormToken(cipher, c)}
        notice={notice && /^[a-zA-Z.]+$/.test(notice) && i18n.exists(`staff:${notice}`) ? notice : undefined}
        {...extra}
      />,
      status,
    );
  }

  app.get('/agency/cases/:reference', (c) => showCase(c));

  /** Runs one answer and goes on to the case with a notice, or shows the case again with why it was refused. */
  async function act(
    c: AgencyContext,
    form: string,
    run: () => Promise<{ key: string; anchor: string }>,
    typed: Record<string, string> = {},
  ) {
    try {
      const { key, anchor } = await run();
      const found = await cases.find(actor(c), referenceOf(c));
      return c.redirect(`/agency/cases/${found?.reference ?? ''}?done=${key}#${anchor}`, 303);
    } catch (error) {
      if (!(error instanceof CaseError)) throw error;
      if (error.code === 'case.not_found') return notFound(c);
      return showCase(c, { error: { form, key: caseErrorKeys[error.code] }, typed }, 400);
    }
  }

  app.post('/agency/cases/:reference/decision', (c) => {
    const { decision, reason } = decisionForm.parse(postedForm(c));
    return act(
      c,
      'decision',
      async () => {
        const decided = await cases.decideReferral(actor(c), referenceOf(c), { decision, reason });
        return { key: decided === 'accepted' ? 'inbox.accepted' : 'inbox.declined', anchor: 'decision' };
      },
      { reason },
    );
  });

  app.post('/agency/cases/:reference/case-number', (c) => {
    const { caseNumber } = caseNumberForm.parse(postedForm(c));
    return act(
      c,
      'caseNumber',
      async () => {
        await cases.setAgencyCaseNumber(actor(c), referenceOf(c), caseNumber);
        return { key: 'inbox.saved', anchor: 'decision' };
      },
      { caseNumber },
    );
  });

  app.post('/agency/cases/:reference/action', (c) => {
    const { action, note } = actionForm.parse(postedForm(c));
    return act(
      c,
      'action',
      async () => {
        await cases.recordAgencyAction(actor(c), referenceOf(c), { action, note });
        return { key: 'inbox.recorded', anchor: 'actions' };
      },
      { note },
    );
  });

  app.get('/agency/evidence/:reference/:sha256', evidenceRoute(cases, notFound));

  return app;
}
