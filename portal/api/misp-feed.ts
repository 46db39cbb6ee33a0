import { Hono } from 'hono';
import type { i18n } from 'i18next';
import { systemClock, type Clock } from '../../intake/clock.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import type { CaseReadModels } from '../../intake/cases/case-read-models.js';
import type { CaseUseCases } from '../../intake/cases/case-use-cases.js';
import {
  caseToMispFeedEvent,
  ignoredIndicatorsToWarninglist,
  mispEventUuidForReport,
  mispFeedHashes,
  mispFeedManifest,
  type MispExportOptions,
  type MispFeedEvent,
} from '../../intake/delivery/exports/indicators-misp.js';
import type { IndicatorKind } from '../../intake/indicators/indicator.js';
import { apiError } from './api-error.js';
import { requireToken, type Authenticate, type PrincipalVariables } from './bearer-auth.js';

export interface MispFeedDependencies {
  cases: Pick<CaseUseCases, 'view'>;
  views: Pick<CaseReadModels, 'allAgencyCases' | 'agencyCase'>;
  authenticate: Authenticate;
  i18n: i18n;
  /** The deployment's indicators that never link reports (REPORTLINE_IGNORED_INDICATORS), for the warninglist. */
  ignoredIndicators?: ReadonlyArray<{ kind: IndicatorKind; value: string }>;
  /** TLP, PAP and the creating organisation of the events; MISP's defaults of the export otherwise. */
  mispFeed?: Omit<MispExportOptions, 'ignored'>;
  now?: Clock;
}

const eventFile = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;

/**
 * A MISP feed of the calling agency's own cases, for the agency's MISP to
 * add as a feed of type "MISP Feed" with the header
 * `Authorization: Bearer <agency token>`: `manifest.json`, `hashes.csv`,
 * one `<event-uuid>.json` per case, and the deployment's ignored indicators
 * as a warninglist. Every file is built from the agency's own routing rows
 * (never a case withheld for lack of consent), so another agency's event
 * uuid is answered exactly as one that does not exist: 404.
 */
export function createMispFeed(dependencies: MispFeedDependencies) {
  const { cases, views, authenticate, i18n, now = systemClock } = dependencies;
  const options: MispExportOptions = { ...dependencies.mispFeed, ignored: dependencies.ignoredIndicators ?? [] };
  const feed = new Hono<{ Variables: PrincipalVariables }>();
  feed.use('/feeds/misp/*', requireToken(authenticate, i18n, ['agency']));

  /** The agency's cases with their event uuids, oldest first. */
  async function agencyEvents(agencyId: string) {
    const handles = await views.allAgencyCases(agencyId);
    return handles.map((handle) => ({ ...handle, eventUuid: mispEventUuidForReport(handle.reportId) }));
  }

  async function eventOf(
    reportId: string,
    eventUuid: string,
    agencyId: string,
  ): Promise<{ Event: MispFeedEvent } | undefined> {
    const document = await views.agencyCase(reportId, agencyId);
    return document ? caseToMispFeedEvent(document, { ...options, eventUuid }) : undefined;
  }

  async function allEvents(agencyId: string) {
    const events: Array<{ Event: MispFeedEvent }> = [];
    for (const entry of await agencyEvents(agencyId)) {
      const event = await eventOf(entry.reportId, entry.eventUuid, agencyId);
      if (event) events.push(event);
    }
    return events;
  }

  feed.get('/feeds/misp/manifest.json', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(mispFeedManifest(await allEvents(c.get('principal').agencyId!)));
  });

  feed.get('/feeds/misp/hashes.csv', async (c) => {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Cache-Control', 'no-store');
    return c.body(mispFeedHashes(await allEvents(c.get('principal').agencyId!)));
  });

  feed.get('/feeds/misp/warninglist.json', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(ignoredIndicatorsToWarninglist(dependencies.ignoredIndicators ?? [], { now: now() }));
  });

  feed.get('/feeds/misp/:file', async (c) => {
    const principal = c.get('principal');
    const eventUuid = eventFile.exec(c.req.param('file'))?.[1];
    // Only the agency's own cases are searched: another agency's uuid and a made-up one take the same path.
    const entry = eventUuid
      ? (await agencyEvents(principal.agencyId!)).find((item) => item.eventUuid === eventUuid)
      : undefined;
    const actor: CaseActor = { auditId: `token:${principal.tokenId}`, role: 'agency', agencyId: principal.agencyId };
    // Its look is audited as any other: the event is handed out once the trace is written.
    const seen = entry
      ? await cases.view(actor, entry.reference, () => eventOf(entry.reportId, entry.eventUuid, principal.agencyId!))
      : undefined;
    if (!seen) return apiError(c, i18n, 404, 'not_found');
    const event = seen.view;
    c.header('Cache-Control', 'no-store');
    return c.json(event);
  });

  return feed;
}
