import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { StaffRole } from '../../intake/accounts/account-store.js';
import { consoleActor } from '../../intake/cases/case-actor.js';
import { normalizeReportReference } from '../../intake/report/reference-codes.js';
import type { UrgentCases } from '../../intake/urgent/urgent-cases.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';

const staffRoles: readonly StaffRole[] = ['hotline', 'supervisor', 'admin'];

const acknowledgementNotices = {
  acknowledged: 'urgent.ack.done',
  already_taken: 'urgent.ack.already',
  not_urgent: 'urgent.ack.notUrgent',
} as const;

/**
 * The duty desk's routes: its counts as a tiny JSON document for the
 * banner's script (staff only, never cached), and the acknowledge button of
 * an urgent case, which calls one intake use case and returns to the case.
 */
export function createUrgentRoutes(dependencies: ConsoleDependencies & { urgent: UrgentCases }) {
  const { accounts, cipher, i18n, urgent } = dependencies;
  const app = new Hono<ConsoleEnv>();
  const { refuse, notFound } = consolePages(i18n, cipher, dependencies.agencyName);
  const staffOnly = requireConsoleUser(accounts, cipher, staffRoles, refuse);
  app.use('/staff/duty-desk.json', staffOnly);
  app.use(
    '/staff/cases/:reference/acknowledge',
    bodyLimit({ maxSize: 4 * 1024, onError: (c) => c.text('Too large', 413) }),
    staffOnly,
  );

  app.get('/staff/duty-desk.json', async (c) => {
    const desk = await urgent.dutyDesk(consoleActor(c.get('user')));
    const supervisor = c.get('user').role !== 'hotline';
    c.header('Cache-Control', 'no-store');
    return c.json({
      waiting: desk.waiting,
      escalated: desk.escalated,
      ...(supervisor ? { overdue: desk.overdue } : {}),
    });
  });

  app.post('/staff/cases/:reference/acknowledge', async (c) => {
    const reference = normalizeReportReference(c.req.param('reference'));
    if (!reference) return notFound(c);
    try {
      const outcome = await urgent.acknowledge(consoleActor(c.get('user')), reference);
      return c.redirect(`/staff/cases/${reference}?done=${acknowledgementNotices[outcome]}#urgent-clock`, 303);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'case.not_found') return notFound(c);
      throw error;
    }
  });
  return app;
}
