import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { i18n } from 'i18next';
import type { CaseReadModels } from '../intake/cases/case-read-models.js';
import type { CaseUseCases } from '../intake/cases/case-use-cases.js';
import type { DescribeRouting } from '../intake/routing/describe-routing.js';
import type { IndicatorLinks } from '../intake/store/indicator-links.js';
import type { ReportStore } from '../intake/store/report-store.js';
import { apiError } from './api/api-error.js';
import type { Authenticate } from './api/bearer-auth.js';
import { createAgencyApi } from './api/agency-api.js';
import { createDeliveriesApi } from './api/deliveries-api.js';
import { createIndicatorsApi } from './api/indicators-api.js';
import { createMispFeed } from './api/misp-feed.js';
import { createOpenApiRoutes } from './api/openapi-routes.js';
import { createReportsApi } from './api/reports-api.js';
import { createEvidenceApi } from './api/evidence-api.js';
import type { EvidenceSettings } from '../intake/conversation/evidence-input.js';
import type { IndicatorKind } from '../intake/indicators/indicator.js';
import { mispMarking, type ExportMarking } from '../intake/delivery/exports/export-marking.js';
import { compressResponses } from './http/compress-response.js';
import { detectHttps } from './http/https-request.js';
import { FormBodyError } from './http/read-form.js';
import { detectLanguage, visitorLanguage } from './http/request-language.js';
import { detectTimeZone } from './time/viewer-time-zone.js';
import { createLandingPage, type LandingDependencies } from './public/landing-page.js';
import { createCheckPages, type CheckPagesDependencies } from './public/check-page.js';
import { browserFormToken } from './public/browser-session.js';
import { createChecksApi } from './api/checks-api.js';
import { createCheckRangeApi, type CheckRangeApiDependencies } from './api/check-range-api.js';
import { createAgencyInbox } from './agency/agency-inbox.js';
import { createAgencyDashboard } from './agency/agency-dashboard.js';
import { createStaffDashboard } from './staff/dashboard-routes.js';
import { createCompoundConsole } from './staff/compound-console.js';
import { createMuleConsole } from './staff/mule-console.js';
import { createChecksConsole } from './staff/checks-console.js';
import { createAgencyCompounds } from './agency/agency-compounds.js';
import { createConsoleAssets } from './console/console-assets.js';
import type { ConsoleDependencies } from './console/console-dependencies.js';
import { createLoginRoutes } from './console/login-routes.js';
import type { RateLimits } from '../intake/limits/rate-limits.js';
import { createStaffConsole } from './staff/staff-console.js';
import { createUrgentRoutes } from './staff/urgent-routes.js';
import { createPublicAssets } from './public/public-assets.js';
import { provideDisguise, type PublicDisguise } from './public/disguise.js';
import { createQuickExit, type QuickExitDependencies } from './public/quick-exit.js';
import { createReportForm, type ReportFormDependencies } from './public/report-form/report-form.js';
import { createStatusPage, type StatusPageDependencies } from './public/status-page.js';
import { createWebChat, type WebChatDependencies } from './public/web-chat.js';
import { createLineWebhook, type LineWebhookDependencies } from './webhooks/line-webhook.js';
import { createTelegramWebhook, type TelegramWebhookDependencies } from './webhooks/telegram-webhook.js';

export interface PortalDependencies {
  reports: ReportStore;
  links: IndicatorLinks;
  /**
   * Every action on a case and what is read of cases (the intake's use cases
   * and read models): the case API, the agency API, the deliveries and the
   * MISP feed are served when they are given. The portal never gets the database.
   */
  cases?: { useCases: CaseUseCases; views: CaseReadModels };
  authenticate: Authenticate;
  isDatabaseReachable: () => Promise<boolean>;
  /** `/readyz`: whether this instance should get traffic now (not while stopping, nor without its migrations). */
  readiness?: () => Promise<{ ready: true } | { ready: false; reason: string }>;
  i18n: i18n;
  /** The routing decision stored with a report, in plain sentences in a language. */
  describeRouting: DescribeRouting;
  /** The Telegram bot's webhook, when the bot runs in webhook mode. */
  telegram?: TelegramWebhookDependencies;
  /** The LINE bot's webhook, when LINE is configured. */
  line?: LineWebhookDependencies;
  /** The web chat (the conversation of the bots, in a browser). */
  webChat?: WebChatDependencies;
  /** The quick exit's side on the server: ends what the visit's cookies hold (see quick-exit.ts). */
  quickExit?: QuickExitDependencies;
  /** The report form: a few steps, saved as they are sent. */
  reportForm?: Omit<ReportFormDependencies, 'reports' | 'i18n'>;
  /** The reporter's status page. */
  statusPage?: Omit<StatusPageDependencies, 'reports' | 'i18n'>;
  /** The staff console and the agency inbox. */
  console?: ConsoleDependencies;
  /** Emergency and reporting contacts for a country, for the public pages. */
  emergencyContacts?: LandingDependencies['emergencyContacts'];
  /** Where `POST /api/v1/evidence` stores files, and what it takes. */
  apiEvidence?: EvidenceSettings;
  /** Behind a trusted reverse proxy: clients and HTTPS are read from its X-Forwarded-* headers. */
  trustProxy?: boolean;
  /** What one client may create through the public API in an hour, for each kind (reports, files). */
  publicWritesPerHour?: number;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
  /** The zone the console shows times in until a viewer chooses one (REPORTLINE_TIME_ZONE); UTC when unset. */
  timeZone?: string;
  /** Indicators that must never link reports (REPORTLINE_IGNORED_INDICATORS), served as a MISP warninglist. */
  ignoredIndicators?: ReadonlyArray<{ kind: IndicatorKind; value: string }>;
  /** The TLP and PAP every export and the MISP feed carry (REPORTLINE_EXPORT_TLP, REPORTLINE_EXPORT_PAP). */
  exportMarking?: ExportMarking;
  /** The public pages' neutral title and the quick exit's site (REPORTLINE_NEUTRAL_NAME, REPORTLINE_EXIT_URL). */
  disguise?: PublicDisguise;
  /** "Check before you pay": the landing page's box, `/check`, `/check/dispute` and `POST /api/v1/checks`. */
  checks?: Omit<CheckPagesDependencies, 'i18n' | 'trustProxy'>;
  /** The partners' k-anonymity range query of the checks, `GET /api/v1/check-range/{prefix}`. */
  checkRange?: Pick<CheckRangeApiDependencies, 'checks' | 'rangePerMinute'>;
  /** Told about failures the handlers did not expect; must not log personal data. */
  onUnexpectedError: (error: unknown, route: string) => void;
}

/** The whole HTTP surface of Reportline: the public pages, the JSON API and the bots' webhooks. */
export function createPortalApp(dependencies: PortalDependencies) {
  const { i18n } = dependencies;
  const app = new Hono();

  // Pages, style sheets and scripts go out compressed: many reporters pay for every byte of a slow link.
  app.use('*', compressResponses);
  // No page of Reportline may be framed by another (secureHeaders' default allows the same origin).
  app.use('*', secureHeaders({ xFrameOptions: 'DENY' }));
  app.use('*', provideDisguise(dependencies.disguise));
  app.use('*', detectHttps(dependencies.trustProxy ?? false));
  app.use('*', detectLanguage);
  app.use('*', detectTimeZone(dependencies.timeZone ?? 'UTC'));
  const publicWrites = {
    publicWritesPerHour: dependencies.publicWritesPerHour ?? 30,
    trustProxy: dependencies.trustProxy ?? false,
    limits: dependencies.limits,
  };

  app.get('/healthz', async (c) => {
    const reachable = await dependencies.isDatabaseReachable();
    return c.json(
      { status: reachable ? 'ok' : 'unavailable', database: reachable ? 'reachable' : 'unreachable' },
      reachable ? 200 : 503,
    );
  });
  // Readiness for a load balancer: 503 with the reason takes this instance out of rotation; /healthz is liveness.
  app.get('/readyz', async (c) => {
    const answer = dependencies.readiness
      ? await dependencies.readiness()
      : (await dependencies.isDatabaseReachable())
        ? ({ ready: true } as const)
        : ({ ready: false, reason: 'database_unreachable' } as const);
    c.header('cache-control', 'no-store');
    return answer.ready
      ? c.json({ status: 'ready' }, 200)
      : c.json({ status: 'unavailable', reason: answer.reason }, 503);
  });

  app.route('/api/v1', createReportsApi({ ...dependencies, ...publicWrites }));
  if (dependencies.apiEvidence)
    app.route('/api/v1', createEvidenceApi({ i18n, evidence: dependencies.apiEvidence, ...publicWrites }));
  app.route('/api/v1', createIndicatorsApi(dependencies));
  if (dependencies.checks)
    app.route(
      '/api/v1',
      createChecksApi({ checks: dependencies.checks.checks, authenticate: dependencies.authenticate, i18n }),
    );
  if (dependencies.checkRange)
    app.route(
      '/api/v1',
      createCheckRangeApi({
        ...dependencies.checkRange,
        authenticate: dependencies.authenticate,
        i18n,
        limits: dependencies.limits,
      }),
    );
  app.route('/api/v1', createOpenApiRoutes({ i18n }));
  if (dependencies.cases) {
    const { useCases: cases, views } = dependencies.cases;
    const { authenticate } = dependencies;
    app.route(
      '/api/v1',
      createAgencyApi({
        cases,
        views,
        authenticate,
        i18n,
        ...(dependencies.exportMarking ? { marking: dependencies.exportMarking } : {}),
      }),
    );
    app.route(
      '/',
      createMispFeed({
        cases,
        views,
        authenticate,
        i18n,
        ...(dependencies.ignoredIndicators ? { ignoredIndicators: dependencies.ignoredIndicators } : {}),
        ...(dependencies.exportMarking ? { mispFeed: mispMarking(dependencies.exportMarking) } : {}),
      }),
    );
    app.route('/api/v1', createDeliveriesApi({ cases, views, authenticate, i18n }));
  }
  app.route('/', createPublicAssets());
  app.route('/', createQuickExit(dependencies.quickExit, i18n));
  const checks = dependencies.checks;
  app.route(
    '/',
    createLandingPage({
      i18n,
      emergencyContacts: dependencies.emergencyContacts ?? (() => []),
      ...(checks ? { checkToken: (c: Context) => browserFormToken(checks.cipher, c) } : {}),
    }),
  );
  if (checks) app.route('/', createCheckPages({ ...checks, i18n, trustProxy: dependencies.trustProxy ?? false }));
  if (dependencies.webChat) app.route('/', createWebChat(dependencies.webChat));
  if (dependencies.reportForm)
    app.route('/', createReportForm({ ...dependencies.reportForm, reports: dependencies.reports, i18n }));
  if (dependencies.statusPage)
    app.route('/', createStatusPage({ ...dependencies.statusPage, reports: dependencies.reports, i18n }));
  if (dependencies.console) {
    // Signing in comes first: the console's own pages send anyone not signed in there.
    app.route('/', createConsoleAssets());
    app.route('/', createLoginRoutes(dependencies.console));
    if (dependencies.console.urgent)
      app.route('/', createUrgentRoutes({ ...dependencies.console, urgent: dependencies.console.urgent }));
    app.route('/', createStaffConsole(dependencies.console));
    app.route('/', createAgencyInbox(dependencies.console));
    app.route('/', createStaffDashboard(dependencies.console));
    app.route('/', createMuleConsole(dependencies.console));
    if (dependencies.console.checkStaff)
      app.route('/', createChecksConsole({ ...dependencies.console, checkStaff: dependencies.console.checkStaff }));
    app.route('/', createAgencyDashboard(dependencies.console));
    if (dependencies.console.compounds) {
      const compoundPages = {
        ...dependencies.console,
        compounds: dependencies.console.compounds,
        ...(dependencies.exportMarking ? { misp: mispMarking(dependencies.exportMarking) } : {}),
      };
      app.route('/', createCompoundConsole(compoundPages));
      app.route('/', createAgencyCompounds(compoundPages));
    }
  }
  if (dependencies.telegram) app.route('/', createTelegramWebhook(dependencies.telegram));
  if (dependencies.line) app.route('/', createLineWebhook(dependencies.line));

  const common = (c: Context) => i18n.getFixedT(visitorLanguage(c), 'common');

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? apiError(c, i18n, 404, 'not_found') : c.text(common(c)('notFound'), 404),
  );

  app.onError((error, c) => {
    // A body no route could read (cut off, malformed) is the sender's mistake, not ours.
    if (error instanceof FormBodyError)
      return c.text(common(c)('badRequest'), error.problem === 'too_large' ? 413 : 400);
    dependencies.onUnexpectedError(error, c.req.routePath);
    return c.req.path.startsWith('/api/')
      ? apiError(c, i18n, 500, 'internal')
      : c.text(common(c)('internalError'), 500);
  });

  return app;
}
