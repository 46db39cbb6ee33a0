import { Hono } from 'hono';
import type { StaffRole } from '../../intake/accounts/account-store.js';
import { dashboardScopeOf } from '../../intake/dashboard/dashboard-scope.js';
import { consoleActor } from '../../intake/cases/case-actor.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { dashboardHandlers } from '../dashboard/dashboard-route.js';
import { publicPageHeaders } from '../public/public-security.js';
import { loadDutyDesk } from './urgent-duty-desk.js';

/**
 * Every hotline account sees the dashboard, not only supervisors: a hotline
 * worker already reads every case in the queue, so the counts tell them
 * nothing they may not see, and the duty desk is who notices a wave first.
 */
const dashboardRoles: readonly StaffRole[] = ['hotline', 'supervisor', 'admin'];

/** The hotline's dashboard: every report, `/staff/dashboard` and its CSV. */
export function createStaffDashboard(dependencies: ConsoleDependencies) {
  const app = new Hono<ConsoleEnv>();
  const { dashboard } = dependencies;
  if (!dashboard) return app;
  const { tOf, page, refuse } = consolePages(dependencies.i18n, dependencies.cipher, dependencies.agencyName);
  const staffOnly = requireConsoleUser(dependencies.accounts, dependencies.cipher, dashboardRoles, refuse);
  for (const path of ['/staff/dashboard', '/staff/dashboard.csv']) app.use(path, ...publicPageHeaders, staffOnly);
  // The duty desk's banner, as on every hotline page (the CSV renders no page).
  app.use('/staff/dashboard', loadDutyDesk(dependencies.urgent));
  const handlers = dashboardHandlers({
    dashboard,
    path: '/staff/dashboard',
    page,
    tOf,
    now: dependencies.now ?? (() => new Date()),
    scopeOf: (c) => dashboardScopeOf(consoleActor(c.get('user'))),
    scopeLine: (c) => tOf(c)('dashboard.scopeHotline'),
    compoundHref: (id) => `/staff/compounds/${encodeURIComponent(id)}`,
    searchHref: (kind, value) => `/staff/search?${new URLSearchParams({ q: `${kind}:${value}` }).toString()}`,
  });
  app.get('/staff/dashboard', handlers.page);
  app.get('/staff/dashboard.csv', handlers.csv);
  return app;
}
