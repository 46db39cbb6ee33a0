import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { IndicatorKind } from '../indicators/indicator.js';
import type { Database } from '../store/database.js';
import { indicatorBlindIndex } from '../store/report-store.js';
import { compoundsHeldNow, type CompoundHeldNow } from './compounds-held-now.js';
import { weekStarts, type DashboardPeriod } from './dashboard-period.js';
import type { DashboardScope } from './dashboard-scope.js';
import { weeklyLinkedShare, type WeeklyLinkedShare } from './linked-share.js';
import { mostReportedIndicators, shownMostReported, type MostReportedIndicator } from './most-reported-indicators.js';
import { acknowledgementTimes, type AcknowledgementTimes } from './urgent-acknowledgement.js';
import { createWeekFiguresCache } from './week-figures-cache.js';
import { figuresOfWeeks } from './week-figures.js';
import { weeklyReportFigures, type WeeklyCount } from './weekly-report-counts.js';

/** Everything one dashboard page shows, for one viewer's scope and period. */
export interface DashboardFigures {
  scope: DashboardScope;
  period: DashboardPeriod;
  /** The Monday of every week of the period, oldest first (a week without reports is a week of zeros). */
  weeks: string[];
  /** When the figures were read: "people held now" is as of this moment. */
  readAt: string;
  reportsByCategory: WeeklyCount[];
  reportsByCountry: WeeklyCount[];
  reportsByChannel: WeeklyCount[];
  urgentReports: Array<{ week: string; count: number }>;
  acknowledgement: { period: AcknowledgementTimes; weeks: AcknowledgementTimes[] };
  compounds: CompoundHeldNow[];
  mostReported: MostReportedIndicator[];
  linked: WeeklyLinkedShare[];
}

export interface DashboardReadModelParts {
  db: Kysely<Database>;
  cipher: FieldCipher;
  now: Clock;
  /** Values that never link reports (REPORTLINE_IGNORED_INDICATORS): never in a list, never a link. */
  ignoredIndicators?: ReadonlyArray<{ kind: IndicatorKind; value: string }>;
}

/**
 * The dashboard's one read model. The weekly figures (reports, urgent
 * cases, the time to take them, the lists, the linked share) are added up
 * from each week's, kept between pages and counted again only for the weeks
 * whose reports changed since (`week-figures-cache.ts`); the lists are read
 * from counts kept per value and period (`kept-most-reported.ts`) and "people
 * held now" from counts kept per compound (`kept-held-now.ts`), both brought
 * up to date by the same refresh, so a page reads what it shows, not every
 * report. Only the few values a list shows are decrypted. It changes nothing
 * but the kept figures.
 */
export function createDashboardReadModel(parts: DashboardReadModelParts) {
  const { db, cipher } = parts;
  const ignoredHashes = ignoredHashesOf(parts);
  const cache = createWeekFiguresCache({ db, now: parts.now, ignoredHashes });
  return {
    figures: async (scope: DashboardScope, period: DashboardPeriod): Promise<DashboardFigures> => {
      const readAt = parts.now().toISOString();
      const weeks = weekStarts(period);
      const { weeks: weekParts, mostReportedRows, compounds } = await cache.period(scope, period, weeks);
      const weekly = figuresOfWeeks(weeks, weekParts);
      const mostReported = await shownMostReported({ db, cipher }, scope, mostReportedRows);
      return { scope, period, weeks, readAt, ...weekly, compounds, mostReported };
    },
  };
}

function ignoredHashesOf(parts: DashboardReadModelParts): string[] {
  return (parts.ignoredIndicators ?? []).map((entry) => indicatorBlindIndex(parts.cipher, entry.kind, entry.value));
}

/**
 * Every figure counted from the reports at once, in SQL over indexed columns
 * (migration 0028): what the kept weeks must always add up to. The tests
 * compare the two after every kind of write.
 */
export async function referenceFigures(
  parts: DashboardReadModelParts,
  scope: DashboardScope,
  period: DashboardPeriod,
): Promise<DashboardFigures> {
  const { db, cipher } = parts;
  const ignoredHashes = ignoredHashesOf(parts);
  const readAt = parts.now().toISOString();
  const [
    { reportsByCategory, reportsByCountry, reportsByChannel, urgentReports },
    acknowledgement,
    compounds,
    mostReported,
    linked,
  ] = await Promise.all([
    weeklyReportFigures(db, scope, period),
    acknowledgementTimes(db, scope, period),
    compoundsHeldNow(db, scope),
    mostReportedIndicators({ db, cipher, ignoredHashes }, scope, period),
    weeklyLinkedShare(db, scope, period, ignoredHashes),
  ]);
  return {
    scope,
    period,
    weeks: weekStarts(period),
    readAt,
    reportsByCategory,
    reportsByCountry,
    reportsByChannel,
    urgentReports,
    acknowledgement,
    compounds,
    mostReported,
    linked,
  };
}

export type DashboardReadModel = ReturnType<typeof createDashboardReadModel>;
