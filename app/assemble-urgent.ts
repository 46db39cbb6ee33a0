import type { i18n } from 'i18next';
import type { PlatformChatChannel } from '../intake/chat/chat-channel.js';
import type { ChatOutbox } from '../intake/chat/chat-outbox.js';
import type { Clock } from '../intake/clock.js';
import type { AgencyDirectory } from '../intake/routing/load-agency-directory.js';
import { StaffGroupAlerts, type StaffGroupTarget } from '../intake/urgent/staff-group-alerts.js';
import { SupervisorAlertMail } from '../intake/urgent/supervisor-alert-mail.js';
import { urgentClockPolicy, type UrgentClockPolicy } from '../intake/urgent/urgent-clock-policy.js';
import { UrgentClockWorker, type UrgentClockEffects } from '../intake/urgent/urgent-clock-worker.js';
import type { Intake } from './assemble-intake.js';
import type { UrgentSettings } from './urgent-config.js';

/** The deployment's clock windows: its settings, each agency's own window from the directory. */
export function urgentClockPolicyFor(settings: UrgentSettings, directory: AgencyDirectory): UrgentClockPolicy {
  const agencyAcceptMinutes = new Map<string, number>();
  for (const agency of directory.agencies.values())
    if (agency.urgentAcceptMinutes !== undefined) agencyAcceptMinutes.set(agency.id, agency.urgentAcceptMinutes);
  return urgentClockPolicy({
    hotlineAckMinutes: settings.hotlineAckMinutes,
    defaultAgencyAcceptMinutes: settings.defaultAgencyAcceptMinutes,
    agencyAcceptMinutes,
    escalationAgencies: settings.escalationAgencies,
  });
}

/** The staff groups the deployment named whose bot runs here (a group without its bot cannot be written to). */
export function staffGroupTargets(
  settings: UrgentSettings,
  channels: readonly PlatformChatChannel[],
): StaffGroupTarget[] {
  const targets: StaffGroupTarget[] = [];
  const telegram = channels.find((channel) => channel.channel === 'telegram');
  const line = channels.find((channel) => channel.channel === 'line');
  if (settings.dutyTelegramChatId && telegram)
    targets.push({
      channel: 'telegram',
      chatId: settings.dutyTelegramChatId,
      renderText: (text) => telegram.renderText(text),
    });
  if (settings.dutyLineGroupId && line)
    targets.push({ channel: 'line', chatId: settings.dutyLineGroupId, renderText: (text) => line.renderText(text) });
  return targets;
}

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
 * The urgent clocks' worker over the intake, as the server, the tests and
 * the CLI assemble it: what a step queues (deliveries, staff group messages,
 * supervisors' e-mails) goes out at once through `afterCommit`.
 */
export function assembleUrgentClockWorker(parts: {
  intake: Pick<Intake, 'db' | 'cipher'>;
  directory: AgencyDirectory;
  policy: UrgentClockPolicy;
  settings: UrgentSettings;
  i18n: i18n;
  outbox: ChatOutbox;
  channels: readonly PlatformChatChannel[];
  now?: Clock;
  /** PUBLIC_BASE_URL, for the link to the case in the supervisors' e-mail. */
  publicBaseUrl?: string | undefined;
  afterCommit?: (effects: UrgentClockEffects) => void;
  onError?: (error: unknown) => void;
}): UrgentClockWorker {
  const alerts = staffGroupAlertsFor(parts);
  const supervisorMail =
    parts.settings.supervisorEmails.length > 0
      ? new SupervisorAlertMail({
          cipher: parts.intake.cipher,
          to: parts.settings.supervisorEmails,
          t: parts.i18n.getFixedT(parts.settings.dutyLanguage, 'delivery'),
          language: parts.settings.dutyLanguage,
          consoleBaseUrl: parts.publicBaseUrl,
        })
      : undefined;
  return new UrgentClockWorker({
    db: parts.intake.db,
    cipher: parts.intake.cipher,
    directory: parts.directory,
    policy: parts.policy,
    alerts,
    supervisorMail,
    ...(parts.now ? { now: parts.now } : {}),
    ...(parts.afterCommit ? { afterCommit: parts.afterCommit } : {}),
    ...(parts.onError ? { onError: parts.onError } : {}),
  });
}
