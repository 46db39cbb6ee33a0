import { DataKeyError, loadOrCreateDevelopmentKey, parseDataKey } from '../intake/crypto/data-key.js';
import { FieldCipher } from '../intake/crypto/field-cipher.js';
import { IgnoredIndicators } from '../intake/indicators/ignored-indicators.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../intake/i18n/create-i18n.js';
import nodemailer from 'nodemailer';
import { createAgencyDeliverySender, type DeliveryTargets } from '../intake/delivery/agency-delivery-sender.js';
import { DeliveryDispatcher } from '../intake/delivery/delivery-dispatcher.js';
import { createCaseRouter } from '../intake/routing/case-router.js';
import { directoryDeliveryTargets } from '../intake/routing/directory-delivery-targets.js';
import { DirectoryError, loadAgencyDirectory, type AgencyDirectory } from '../intake/routing/load-agency-directory.js';
import type { LineBot } from '../bots/line/line-bot.js';
import { createTelegramBot, TelegramBestEffortError, type TelegramBot } from '../bots/telegram/telegram-bot.js';
import { InboundEventJournal } from '../intake/store/inbound-event-journal.js';
import { Readiness } from '../intake/store/readiness.js';
import { migrateToLatest } from '../intake/store/migrate.js';
import { openDatabase } from '../intake/store/open-database.js';
import {
  assembleChatOutbox,
  assembleChatOutboxWorker,
  assembleConversationRunner,
  chatEvidenceLimits,
} from './assemble-conversations.js';
import type { ChatOutboxWorker } from '../intake/chat/chat-outbox-worker.js';
import { assembleIntake, type Intake } from './assemble-intake.js';
import { assembleMessenger } from './assemble-messenger.js';
import type { ReporterMessenger } from '../intake/cases/reporter-messenger.js';
import { ConfigError, type ReportlineConfig } from './config.js';
import { errorCodeOf } from '../intake/errors/error-code.js';
import type { Logger } from './logger.js';
import type { i18n } from 'i18next';
import { systemClock, type Clock } from '../intake/clock.js';
import { backfillReportGlance } from '../intake/store/report-glance-columns.js';
import { chooseRateLimitStore, openRateLimits } from '../intake/limits/open-rate-limits.js';
import { chooseSendPacing, openSendPacing } from '../intake/chat/open-send-pacing.js';
import type { RateLimits } from '../intake/limits/rate-limits.js';
import { defaultCheckSettings } from '../intake/check/check-service.js';
import type { UrgentClockWorker } from '../intake/urgent/urgent-clock-worker.js';
import { assembleUrgentClockWorker, urgentClockPolicyFor } from './assemble-urgent.js';
import { backfillUrgentClocksAtStart } from './assemble-urgent-backfill.js';
import { CompoundMatcher } from '../intake/compounds/compound-matcher.js';
import { MailOutboxWorker } from '../intake/mail/mail-outbox-worker.js';

/** Everything the server and the CLI share, opened once by the composition root. */
export interface Services extends Intake {
  config: ReportlineConfig;
  i18n: i18n;
  directory: AgencyDirectory;
  /** Works off the delivery outbox; the server starts it, the CLI does not. */
  dispatcher: DeliveryDispatcher;
  /** The reporting conversation of every chat channel. */
  conversationRunner: ReturnType<typeof assembleConversationRunner>;
  /** Present when TELEGRAM_BOT_TOKEN is set. */
  telegram: TelegramBot | undefined;
  /** Present when LINE_CHANNEL_ACCESS_TOKEN is set. */
  line: LineBot | undefined;
  /** Writes to reporters: their status page, and their chat when they agreed. */
  messenger: ReporterMessenger;
  /** Sends the chat outbox (turns' answers, staff replies) through the bots; the server starts it, the CLI does not. */
  chatWorker: ChatOutboxWorker;
  /** The time the chat outbox, its worker and the public pages' sessions and limits go by. */
  now: Clock;
  /** The public pages', the API's and sign-in's rate limits, counted where every instance sees them. */
  limits: RateLimits;
  /** `/readyz`; the server marks it stopping first thing on SIGTERM. */
  readiness: Readiness;
  /** The acknowledgement clocks of urgent cases: supervisor alerts and escalations; the server starts it. */
  urgentClocks: UrgentClockWorker;
  /** Proposes compounds for reports stored or amended and for compounds added or edited; the server starts it. */
  compoundMatcher: CompoundMatcher;
  /** Sends the mail outbox (supervisors' alerts, freeze requests) when SMTP_URL is set; the server starts it. */
  mailOutbox: MailOutboxWorker | undefined;
  close(): Promise<void>;
}

/** What a test may set that no environment variable does. */
export interface ServiceOptions {
  /** A clock a test steps, for the chat outbox and its worker's retries and the public pages' sessions and limits. */
  now?: Clock;
}

/** The directory, with a deployment file's problems reported as a configuration error. */
function directoryFor(config: ReportlineConfig): { directory: AgencyDirectory; targets: DeliveryTargets } {
  try {
    const directory = loadAgencyDirectory(config.directoryFile ? { deploymentFile: config.directoryFile } : {});
    return { directory, targets: directoryDeliveryTargets(directory, config.environment) };
  } catch (error) {
    if (error instanceof DirectoryError)
      throw new ConfigError(
        `Agency directory error (REPORTLINE_DIRECTORY_FILE):\n  ${error.message.split('\n').join('\n  ')}`,
      );
    throw error;
  }
}

function dataKeyFor(config: ReportlineConfig, logger: Logger): Buffer {
  if (config.dataKey) {
    try {
      return parseDataKey(config.dataKey);
    } catch (error) {
      if (error instanceof DataKeyError)
        throw new ConfigError(`Configuration error:\n  REPORTLINE_DATA_KEY ${error.message}`);
      throw error;
    }
  }
  const { key, created } = loadOrCreateDevelopmentKey(config.developmentKeyFile);
  logger.warn(
    `REPORTLINE_DATA_KEY is not set: personal data is encrypted with the development key in ${config.developmentKeyFile}` +
      `${created ? ' (just created)' : ''}. Production needs a real key from a secret store: openssl rand -base64 32`,
  );
  return key;
}

export async function openServices(
  config: ReportlineConfig,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<Services> {
  const now = options.now ?? systemClock;
  const cipher = new FieldCipher(dataKeyFor(config, logger));
  const { directory, targets } = directoryFor(config);
  const db = openDatabase(config.database, {
    onIdleConnectionLost: (error) => logger.failure('store.idle_connection_lost', error),
  });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info('database migrated', { applied: applied.join(',') });
    // Reports older than the queue's glance columns (migration 0017) get them once, with the data key.
    const glance = await backfillReportGlance(db, cipher);
    if (glance.filled + glance.unreadable > 0) logger.info('queue glance filled in', glance);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
  const urgentPolicy = urgentClockPolicyFor(config.urgent, directory);
  // Assigned just below: the intake is built first, and tells the dispatcher of each new report.
  // eslint-disable-next-line prefer-const
  let dispatcher: DeliveryDispatcher | undefined;
  // Opened before the intake: the checks count their lookups in the same shared limits.
  const limits = await openRateLimits({
    choice: chooseRateLimitStore({ redisUrl: config.redisUrl, database: config.database.kind }),
    db,
    cipher,
    now,
    // Only the limit's name and what was decided: the key counted is an address or a session.
    onError: (error, context) =>
      logger.failure('limits.count', error, context ? { limit: context.limit, decided: context.decided } : {}),
  });
  const intake = assembleIntake({
    db,
    cipher,
    router: createCaseRouter(directory),
    ignored: new IgnoredIndicators(config.ignoredIndicators),
    dataDir: config.dataDir,
    urgentClock: urgentPolicy,
    freezeRequests: config.freezeRequests,
    limits,
    checkSettings: { ...defaultCheckSettings, ...config.checks },
    safelisted: config.ignoredIndicators,
    // A new report's deliveries go out at once rather than at the next poll; its compounds are looked for at once;
    // an urgent one's clock takes its first look at once, so the duty desk hears of a person in danger now, not
    // at the clock's next poll. A report that queued no delivery wakes no dispatcher (and one that started no
    // clock no clock worker): each wake-up is a claim, and with several instances few of them find another's
    // wake-up under way to join.
    afterSubmit: (written) => {
      if (!written || written.deliveries > 0) dispatcher?.nudge();
      if (!written || written.urgentClockStarted) urgentClocks.nudge();
      compoundMatcher.nudge();
    },
  });
  const compoundMatcher = new CompoundMatcher({
    db,
    cipher,
    links: intake.links,
    radiusMeters: config.compoundRadiusMeters,
    now,
    onError: (error) => logger.failure('compound.match', error),
  });
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  const mailOutbox = transport
    ? new MailOutboxWorker({
        db,
        cipher,
        mail: { transport, from: config.mailFrom },
        now,
        onError: (error) => logger.failure('mail.outbox_send', error),
      })
    : undefined;
  dispatcher = new DeliveryDispatcher({
    db,
    send: createAgencyDeliverySender({
      sources: intake,
      targets,
      i18n,
      ...(transport ? { mail: { transport, from: config.mailFrom } } : {}),
      ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
    }),
    onError: (error) => logger.failure('delivery.dispatch', error),
  });
  const started = dispatcher;
  const outbox = assembleChatOutbox(intake, now);
  // Assigned once the bots exist: the runner is built first and nudges the worker after each committed turn.
  // eslint-disable-next-line prefer-const
  let chatWorker: ChatOutboxWorker | undefined;
  const conversationRunner = assembleConversationRunner({
    intake,
    directory,
    i18n,
    outbox,
    afterCommit: () => chatWorker?.nudge(),
    ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
  });
  const evidence = { dir: config.dataDir, limits: chatEvidenceLimits(config.evidenceMaxBytes) };
  const telegram = config.telegram
    ? createTelegramBot({
        token: config.telegram.token,
        ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
        runner: conversationRunner,
        i18n,
        evidence,
        // Webhook updates go through the journal, so several instances keep each chat's order; a poller is alone.
        ...(config.telegram.mode === 'webhook'
          ? { journal: new InboundEventJournal({ db, cipher, leaseMs: config.lineEventLeaseMs }) }
          : {}),
        onError: (error) =>
          // A refused callback answer ("query is too old") or keyboard removal does not fail the turn: a warning
          // under its own code, so alerts on failed updates do not fire for it.
          error instanceof TelegramBestEffortError
            ? logger.warn(error.code, {
                code: error.code,
                operation: 'telegram.best_effort',
                cause: errorCodeOf(error.cause),
              })
            : logger.failure('telegram.update', error),
      })
    : undefined;
  // Imported only when LINE is configured: its SDK is a third of the modules a start would load otherwise, and
  // every CLI run and most servers (each test spawns several) never talk to LINE.
  const line = config.line
    ? (await import('../bots/line/line-bot.js')).createLineBot({
        channelAccessToken: config.line.channelAccessToken,
        ...(config.line.apiBaseUrl ? { apiBaseUrl: config.line.apiBaseUrl } : {}),
        ...(config.line.dataApiBaseUrl ? { dataApiBaseUrl: config.line.dataApiBaseUrl } : {}),
        runner: conversationRunner,
        journal: new InboundEventJournal({ db, cipher, leaseMs: config.lineEventLeaseMs }),
        i18n,
        evidence,
        onError: (error) => logger.failure('line.event', error),
      })
    : undefined;
  const channels = [...(telegram ? [telegram.channel] : []), ...(line ? [line.channel] : [])];
  // A platform's send limit is the bot's: several instances pace it together, in Redis or PostgreSQL.
  const sendPacing = await openSendPacing({
    choice: chooseSendPacing({ redisUrl: config.redisUrl, database: config.database.kind }),
    db,
    onError: (error) => logger.failure('chat.send_pacing', error),
  });
  chatWorker = assembleChatOutboxWorker({
    outbox,
    runner: conversationRunner,
    channels,
    leaseMs: config.chatOutboxLeaseMs,
    pacerFor: sendPacing.pacerFor,
    now,
    onError: (error) => logger.failure('chat.outbox_send', error),
  });
  const startedChatWorker = chatWorker;
  const urgentClocks = assembleUrgentClockWorker({
    intake,
    directory,
    policy: urgentPolicy,
    settings: config.urgent,
    i18n,
    outbox,
    channels,
    now,
    publicBaseUrl: config.publicBaseUrl,
    // An escalation's deliveries, the staff group's messages and the supervisors' e-mail go out at once.
    afterCommit: (effects) => {
      if (effects.deliveries > 0) started.nudge();
      if (effects.chatMessages > 0) startedChatWorker.nudge();
      if (effects.mails > 0) mailOutbox?.nudge();
    },
    onError: (error) => logger.failure('urgent.clock', error),
  });
  // Urgent cases waiting without a clock (stored before the clocks existed) get one now, with ONE summary alert.
  try {
    const backfilled = await backfillUrgentClocksAtStart({
      intake,
      settings: config.urgent,
      i18n,
      outbox,
      channels,
      now,
    });
    if (backfilled.cases > 0) logger.info('urgent clocks started for waiting urgent cases', backfilled);
  } catch (error) {
    // The cases stay as they were, and the next start tries again.
    logger.failure('urgent.backfill', error);
  }
  return {
    ...intake,
    messenger: assembleMessenger({ intake, outbox, channels, i18n, nudge: () => startedChatWorker.nudge() }),
    chatWorker: startedChatWorker,
    config,
    i18n,
    directory,
    dispatcher: started,
    conversationRunner,
    telegram,
    line,
    now,
    limits,
    readiness: new Readiness(db),
    urgentClocks,
    compoundMatcher,
    mailOutbox,
    close: async () => {
      await started.stop();
      await mailOutbox?.stop();
      await urgentClocks.stop();
      await compoundMatcher.stop();
      await startedChatWorker.stop();
      await sendPacing.close();
      await limits.close();
      transport?.close();
      await db.destroy();
    },
  };
}
