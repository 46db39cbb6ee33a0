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
import { mostReportedIndicators, type MostReportedIndicator } from './most-reported-indicators.js';
import { acknowledgementTimes, type AcknowledgementTimes } from './urgent-acknowledgement.js';
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
 * The dashboard's one read model: every figure aggregated in SQL over indexed
 * columns (migration 0028), only the few values a list shows decrypted. It
 * changes nothing.
 */
export function createDashboardReadModel(parts: DashboardReadModelParts) {
  const { db, cipher } = parts;
  const ignoredHashes = (parts.ignoredIndicators ?? []).map((entry) =>
    indicatorBlindIndex(cipher, entry.kind, entry.value),
  );
  return {
    figures: async (scope: DashboardScope, period: DashboardPeriod): Promise<DashboardFigures> => {
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
    },
  };
}

export type DashboardReadModel = ReturnType<typeof createDashboardReadModel>;
