import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { StaffRole } from '../../intake/accounts/account-store.js';
import { CheckError, type CheckErrorCode } from '../../intake/check/check-error.js';
import type { CheckStaffParts } from '../../intake/check/create-checks.js';
import { ignoredIndicatorsToWarninglist } from '../../intake/delivery/exports/indicators-misp.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { consoleFormToken, postedForm, requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { fieldText } from '../http/read-form.js';
import { publicPageHeaders } from '../public/public-security.js';
import { CheckDisputesPage, CheckSafelistPage, ChecksPage } from './checks-pages.js';
import { loadDutyDesk } from './urgent-duty-desk.js';

export interface ChecksConsoleDependencies extends ConsoleDependencies {
  checkStaff: CheckStaffParts;
}

type StaffContext = Context<ConsoleEnv>;

/** Who may read the checks' pages, and who may change what a check answers. */
const readers: readonly StaffRole[] = ['hotline', 'supervisor', 'admin'];
const deciders: readonly StaffRole[] = ['supervisor', 'admin'];

/** The translated refusal of each use case's code. */
const errorKeys: Record<CheckErrorCode, string> = {
  'check.invalid_prefix': 'checks.error.notFound',
  'check.invalid_dispute': 'checks.error.notFound',
  'check.not_found': 'checks.error.notFound',
  'check.too_few_reporters': 'checks.error.tooFewReporters',
  'check.safelisted': 'checks.error.safelisted',
  'check.withdrawn_by_dispute': 'checks.error.withdrawnByDispute',
  'check.not_confirmed': 'checks.error.notConfirmed',
  'check.invalid_category': 'checks.error.invalidCategory',
  'check.invalid_safelist_entry': 'checks.error.invalidSafelistEntry',
  'check.dispute_decided': 'checks.error.disputeDecided',
};

const notices = [
  'checks.done.confirmed',
  'checks.done.unconfirmed',
  'checks.done.upheld',
  'checks.done.rejected',
  'checks.done.safelistAdded',
  'checks.done.safelistKnown',
  'checks.done.safelistRemoved',
] as const;

/** A blind index as the pages post it (base64url of a SHA-256): anything else matches nothing. */
const valueHashPattern = /^[A-Za-z0-9_-]{43}$/;
const disputeIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const posted = (max: number) => z.string().max(max).catch('');

/**
 * The staff side of "check before you pay": confirming candidates, taking a
 * confirmation back, deciding disputes, the safelist and its MISP
 * warninglist. Hotline staff read; supervisors and administrators change
 * what a check answers. Each change is one audited use case of the intake.
 */
export function createChecksConsole(dependencies: ChecksConsoleDependencies) {
  const { cipher, i18n, accounts, checkStaff } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const app = new Hono<ConsoleEnv>();
  const { tOf, page, refuse, actorOf: actor } = consolePages(i18n, cipher, dependencies.agencyName);
  const staffOnly = requireConsoleUser(accounts, cipher, readers, refuse);
  for (const path of ['/staff/checks', '/staff/checks/*']) {
    app.use(path, bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Too large', 413) }));
    app.use(path, ...publicPageHeaders, staffOnly, loadDutyDesk(dependencies.urgent));
  }
  const mayDecide = (c: StaffContext) => deciders.includes(c.get('user').role);
  const noticeOf = (c: StaffContext) => notices.find((notice) => notice === c.req.query('done'));
  const field = (c: StaffContext, name: string, max: number) =>
    posted(max).parse((fieldText(postedForm(c), name) ?? '').trim());

  async function showWarnings(c: StaffContext, extra: { error?: string } = {}, status: 200 | 400 = 200) {
    const t = tOf(c);
    const [candidates, confirmations] = await Promise.all([
      checkStaff.review.candidates(),
      checkStaff.review.confirmations(),
    ]);
    return page(
      c,
      t('checks.title'),
      <ChecksPage
        t={t}
        token={consoleFormToken(cipher, c)}
        minReporters={checkStaff.review.minReporters}
        mayDecide={mayDecide(c)}
        candidates={candidates}
        confirmations={confirmations}
        notice={noticeOf(c)}
        error={extra.error}
      />,
      status,
    );
  }

  async function showDisputes(c: StaffContext, extra: { error?: string } = {}, status: 200 | 400 = 200) {
    const t = tOf(c);
    const [open, decided] = await Promise.all([checkStaff.disputes.list('open'), checkStaff.disputes.list('decided')]);
    return page(
      c,
      t('checks.disputes.title'),
      <CheckDisputesPage
        t={t}
        token={consoleFormToken(cipher, c)}
        mayDecide={mayDecide(c)}
        open={open}
        decided={decided}
        notice={noticeOf(c)}
        error={extra.error}
      />,
      status,
    );
  }

  async function showSafelist(
    c: StaffContext,
    extra: { error?: string; typed?: { kind: string; value: string; country: string; source: string } } = {},
    status: 200 | 400 = 200,
  ) {
    const t = tOf(c);
    return page(
      c,
      t('checks.safelist.title'),
      <CheckSafelistPage
        t={t}
        token={consoleFormToken(cipher, c)}
        mayDecide={mayDecide(c)}
        entries={await checkStaff.safelist.list()}
        typed={extra.typed}
        notice={noticeOf(c)}
        error={extra.error}
      />,
      status,
    );
  }

  /**
   * Runs one use case for a posted form: on to `done` with a notice, or the
   * page again with why it was refused. Only deciders may post.
   */
  async function act(
    c: StaffContext,
    run: () => Promise<string>,
    again: (c: StaffContext, extra: { error: string }, status: 400) => Promise<Response>,
    back: string,
  ) {
    if (!mayDecide(c)) return refuse(c, 'forbidden');
    try {
      const notice = await run();
      return c.redirect(`${back}?done=${notice}`, 303);
    } catch (error) {
      if (!(error instanceof CheckError)) throw error;
      return again(c, { error: errorKeys[error.code] }, 400);
    }
  }

  /** The blind index a form posted, or a refusal as "not found" (a crafted or stale form). */
  const valueHashOf = (c: StaffContext) => {
    const valueHash = field(c, 'valueHash', 64);
    if (!valueHashPattern.test(valueHash)) throw new CheckError('check.not_found');
    return valueHash;
  };

  app.get('/staff/checks', (c) => showWarnings(c));

  app.post('/staff/checks/confirm', (c) =>
    act(
      c,
      async () => {
        await checkStaff.review.confirm(actor(c), valueHashOf(c), field(c, 'category', 40));
        return 'checks.done.confirmed';
      },
      showWarnings,
      '/staff/checks',
    ),
  );

  app.post('/staff/checks/unconfirm', (c) =>
    act(
      c,
      async () => {
        await checkStaff.review.unconfirm(actor(c), valueHashOf(c));
        return 'checks.done.unconfirmed';
      },
      showWarnings,
      '/staff/checks',
    ),
  );

  app.get('/staff/checks/disputes', (c) => showDisputes(c));

  app.post('/staff/checks/disputes/:id', (c) =>
    act(
      c,
      async () => {
        const id = c.req.param('id');
        if (!disputeIdPattern.test(id)) throw new CheckError('check.not_found');
        const decision = field(c, 'decision', 10) === 'uphold' ? 'uphold' : 'reject';
        await checkStaff.disputes.decide(actor(c), id, decision);
        return decision === 'uphold' ? 'checks.done.upheld' : 'checks.done.rejected';
      },
      showDisputes,
      '/staff/checks/disputes',
    ),
  );

  app.get('/staff/checks/safelist', (c) => showSafelist(c));

  app.post('/staff/checks/safelist', (c) => {
    const typed = {
      kind: field(c, 'kind', 40),
      value: field(c, 'value', 500),
      country: field(c, 'country', 2).toUpperCase(),
      source: field(c, 'source', 300),
    };
    return act(
      c,
      async () => {
        const { added } = await checkStaff.safelist.add(actor(c), {
          kind: typed.kind,
          value: typed.value,
          source: typed.source,
          ...(/^[A-Z]{2}$/.test(typed.country) ? { country: typed.country } : {}),
        });
        return added ? 'checks.done.safelistAdded' : 'checks.done.safelistKnown';
      },
      (context, extra, status) => showSafelist(context, { ...extra, typed }, status),
      '/staff/checks/safelist',
    );
  });

  app.post('/staff/checks/safelist/remove', (c) =>
    act(
      c,
      async () => {
        await checkStaff.safelist.remove(actor(c), valueHashOf(c));
        return 'checks.done.safelistRemoved';
      },
      showSafelist,
      '/staff/checks/safelist',
    ),
  );

  // The safelist as a MISP warninglist, for the agency's MISP to warn on these values as checks never flag them.
  app.get('/staff/checks/safelist/warninglist.json', async (c) => {
    const list = ignoredIndicatorsToWarninglist(await checkStaff.safelist.list(), { now: now() });
    c.header('Cache-Control', 'no-store');
    return c.json({
      ...list,
      name: 'Reportline: indicators never flagged by a check',
      description:
        "Public hotlines, official numbers and large exchanges' sites that Reportline's check before you pay never flags, however many reports name them: a match says nothing about who is behind a scam.",
    });
  });

  return app;
}
