import type { i18n } from 'i18next';
import type { PlatformChatChannel } from '../intake/chat/chat-channel.js';
import type { ChatOutbox } from '../intake/chat/chat-outbox.js';
import type { Clock } from '../intake/clock.js';
import { backfillUrgentClocks } from '../intake/urgent/backfill-urgent-clocks.js';
import { StaffGroupAlerts } from '../intake/urgent/staff-group-alerts.js';
import type { Intake } from './assemble-intake.js';
import { staffGroupTargets } from './assemble-urgent.js';
import type { UrgentSettings } from './urgent-config.js';

/** The staff groups' alerts (the Telegram or LINE group the deployment named and whose bot runs here), or none. */
export function staffGroupAlertsFor(parts: {
  intake: Pick<Intake, 'cipher'>;
  settings: UrgentSettings;
  i18n: i18n;
  outbox: ChatOutbox;
  channels: readonly PlatformChatChannel[];
}): StaffGroupAlerts | undefined {
  const targets = staffGroupTargets(parts.settings, parts.channels);
  if (targets.length === 0) return undefined;
  return new StaffGroupAlerts({
    cipher: parts.intake.cipher,
    outbox: parts.outbox,
    targets,
    t: parts.i18n.getFixedT(parts.settings.dutyLanguage, 'staff'),
    language: parts.settings.dutyLanguage,
  });
}

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
