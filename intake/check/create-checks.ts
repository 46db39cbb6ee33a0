import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { IndicatorKind } from '../indicators/indicator.js';
import { MemoryRateLimitStore } from '../limits/memory-rate-limit-store.js';
import { createRateLimits, type RateLimits } from '../limits/rate-limits.js';
import type { Database } from '../store/database.js';
import { CheckCounts } from './check-counts.js';
import { CheckReview } from './check-review.js';
import { CheckSafelist } from './check-safelist.js';
import { CheckService, defaultCheckSettings, type CheckSettings } from './check-service.js';
import { DisputeReview } from './dispute-review.js';
import { reportsWithRecoveryAgent } from './recovery-agent-flags.js';

/** What staff do for the checks: candidates and confirmations, disputes, the safelist, and the lookups' counts. */
export interface CheckStaffParts {
  review: CheckReview;
  disputes: DisputeReview;
  safelist: CheckSafelist;
  /** Lookups since last taken, by channel and outcome: the only trace a check leaves. */
  counts: CheckCounts;
  /** Reports (of these) that carry a confirmed recovery agent: the case's safety flag. */
  recoveryAgentReports(reportIds: readonly string[]): Promise<Set<string>>;
}

/**
 * The checks over one database and key: the public side (`Checks`) and the
 * staff side, sharing one safelist and one rule. Without the deployment's
 * shared limits (a test, the CLI) the limits are counted in this process.
 */
export function createChecks(parts: {
  db: Kysely<Database>;
  cipher: FieldCipher;
  now: Clock;
  limits?: RateLimits | undefined;
  settings?: CheckSettings | undefined;
  /** The deployment's ignored indicators (REPORTLINE_IGNORED_INDICATORS), normalized. */
  deploymentSafelist?: ReadonlyArray<{ kind: IndicatorKind; value: string }> | undefined;
}): { checks: CheckService; staff: CheckStaffParts } {
  const { db, cipher, now } = parts;
  const settings = parts.settings ?? defaultCheckSettings;
  const limits =
    parts.limits ??
    createRateLimits({
      store: new MemoryRateLimitStore(now),
      hash: (nameAndKey) => cipher.blindIndex('rate-limit', nameAndKey),
      // Counting in memory does not fail.
      onStoreDown: () => undefined,
    });
  const safelist = new CheckSafelist({
    db,
    cipher,
    now,
    ...(parts.deploymentSafelist ? { deployment: parts.deploymentSafelist } : {}),
  });
  const counts = new CheckCounts();
  return {
    checks: new CheckService({ db, cipher, limits, safelist, settings, counts, now }),
    staff: {
      review: new CheckReview({ db, cipher, safelist, minReporters: settings.minReporters, now }),
      disputes: new DisputeReview({ db, cipher, now }),
      safelist,
      counts,
      recoveryAgentReports: (reportIds) => reportsWithRecoveryAgent(db, reportIds),
    },
  };
}
