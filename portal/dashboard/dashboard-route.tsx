import type { Context } from 'hono';
import type { DashboardReadModel } from '../../intake/dashboard/dashboard-read-model.js';
import { dashboardToCsv } from '../../intake/dashboard/dashboard-csv.js';
import type { DashboardScope } from '../../intake/dashboard/dashboard-scope.js';
import type { ConsoleEnv } from '../console/console-session.js';
import { visitorLanguage } from '../http/request-language.js';
import { viewerTimeZone } from '../time/viewer-time-zone.js';
import { DashboardPage } from './dashboard-page.js';
import { chosenPeriod, dashboardQuery } from './dashboard-request.js';

type Page = (c: Context<ConsoleEnv>, title: string, body: unknown, status?: 200 | 400 | 404) => Response;

/**
 * The two answers of a dashboard, for the staff console and the agency inbox
 * alike: the page and its CSV. Each validates the period, asks the one read
 * model for the viewer's scope and renders.
 */
export function dashboardHandlers(options: {
  dashboard: DashboardReadModel;
  path: string;
  page: Page;
  tOf: (c: Context) => (key: string, values?: Record<string, unknown>) => string;
  now: () => Date;
  scopeOf: (c: Context<ConsoleEnv>) => DashboardScope;
  scopeLine: (c: Context<ConsoleEnv>) => string;
  searchHref?: (kind: string, value: string) => string;
  compoundHref: (compoundId: string) => string;
}) {
  const periodOf = (c: Context<ConsoleEnv>) => {
    const parsed = dashboardQuery.safeParse(c.req.query());
    return chosenPeriod(parsed.success ? parsed.data : {}, options.now());
  };
  return {
    page: async (c: Context<ConsoleEnv>) => {
      const t = options.tOf(c);
      const chosen = periodOf(c);
      const figures = await options.dashboard.figures(options.scopeOf(c), chosen.period);
      return options.page(
        c,
        t('dashboard.title'),
        <DashboardPage
          t={t as never}
          language={visitorLanguage(c)}
          timeZone={viewerTimeZone(c)}
          path={options.path}
          scopeLine={options.scopeLine(c)}
          chosen={chosen}
          figures={figures}
          compoundHref={options.compoundHref}
          {...(options.searchHref ? { searchHref: options.searchHref } : {})}
        />,
        chosen.problem ? 400 : 200,
      );
    },
    csv: async (c: Context<ConsoleEnv>) => {
      const chosen = periodOf(c);
      if (chosen.problem) return c.text(options.tOf(c)(chosen.problem), 400);
      const figures = await options.dashboard.figures(options.scopeOf(c), chosen.period);
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header(
        'content-disposition',
        `attachment; filename="reportline-dashboard-${chosen.period.from}-${chosen.period.to}.csv"`,
      );
      return c.body(dashboardToCsv(figures));
    },
  };
}
