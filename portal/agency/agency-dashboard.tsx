import { Hono } from 'hono';
import { dashboardScopeOf } from '../../intake/dashboard/dashboard-scope.js';
import { consoleActor } from '../../intake/cases/case-actor.js';
import type { ConsoleDependencies } from '../console/console-dependencies.js';
import { consolePages } from '../console/console-pages.js';
import { requireConsoleUser, type ConsoleEnv } from '../console/console-session.js';
import { dashboardHandlers } from '../dashboard/dashboard-route.js';
import { visitorLanguage } from '../http/request-language.js';
import { publicPageHeaders } from '../public/public-security.js';

/**
 * An agency's dashboard, `/agency/dashboard` and its CSV: the same panels as
 * the hotline's, counted over the cases referred to this agency only (the
 * read model's agency scope), with no link to the hotline's search.
 */
export function createAgencyDashboard(dependencies: ConsoleDependencies) {
  const app = new Hono<ConsoleEnv>();
  const { dashboard } = dependencies;
  if (!dashboard) return app;
  const { tOf, page, refuse } = consolePages(dependencies.i18n, dependencies.cipher, dependencies.agencyName);
  const agencyOnly = requireConsoleUser(dependencies.accounts, dependencies.cipher, ['agency'], refuse);
  for (const path of ['/agency/dashboard', '/agency/dashboard.csv']) app.use(path, ...publicPageHeaders, agencyOnly);
  const handlers = dashboardHandlers({
    dashboard,
    path: '/agency/dashboard',
    page,
    tOf,
    now: dependencies.now ?? (() => new Date()),
    scopeOf: (c) => dashboardScopeOf(consoleActor(c.get('user'))),
    compoundHref: (id) => `/agency/compounds/${encodeURIComponent(id)}`,
    scopeLine: (c) =>
      tOf(c)('dashboard.scopeAgency', {
        agency: dependencies.agencyName(c.get('user').agencyId ?? '', visitorLanguage(c)),
      }),
  });
  app.get('/agency/dashboard', handlers.page);
  app.get('/agency/dashboard.csv', handlers.csv);
  return app;
}
