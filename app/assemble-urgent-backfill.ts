import type { Clock } from '../intake/clock.js';
import { backfillUrgentClocks } from '../intake/urgent/backfill-urgent-clocks.js';
import type { Intake } from './assemble-intake.js';
import { staffGroupAlertsFor } from './assemble-urgent.js';

/**
 * The start-up step that gives a clock to each urgent case waiting without
 * one (stored before the clocks), with one summary alert to the staff group
 * (see `backfillUrgentClocks`): safe to run on every start and by several
 * instances at once.
 */
export function backfillUrgentClocksAtStart(
  parts: Parameters<typeof staffGroupAlertsFor>[0] & {
    intake: Pick<Intake, 'db' | 'cipher'>;
    now: Clock;
  },
) {
  return backfillUrgentClocks({ db: parts.intake.db, alerts: staffGroupAlertsFor(parts), now: parts.now });
}
