import { join, resolve } from 'node:path';
import { z } from 'zod';
import { indicatorKinds, type IndicatorKind } from '../intake/indicators/indicator.js';
import { normalizeIndicator } from '../intake/indicators/normalize-indicator.js';
import type { RetentionPolicy } from '../intake/store/retention.js';
import { papLevels, tlpLevels, type ExportMarking } from '../intake/delivery/exports/export-marking.js';
import { isTimeZone } from '../portal/time/time-zones.js';
import { urgentEnvironment, urgentSettingsOf, type UrgentSettings } from './urgent-config.js';
import type { FreezeRequestSettings } from '../intake/mules/freeze-request-settings.js';

/**
 * Every setting Reportline reads from its environment, validated once at
 * start-up. The README lists each of these with its default; keep the two in
 * step.
 */
const environmentSchema = z.object({
  ...urgentEnvironment,
  PORT: z.coerce
    .number({ error: 'must be a whole number between 1 and 65535' })
    .int('must be a whole number between 1 and 65535')
    .min(1, 'must be a whole number between 1 and 65535')
    .max(65535, 'must be a whole number between 1 and 65535')
    .default(3000),
  HOST: z.string().min(1, 'must name an interface, e.g. 0.0.0.0 or 127.0.0.1').default('0.0.0.0'),
  REPORTLINE_DATA_DIR: z.string().min(1, 'must be a folder path').default('data'),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\/\S+$/,
      'must be a PostgreSQL URL such as postgres://user@127.0.0.1:5432/reportline (leave it unset for the embedded SQLite file)',
    )
    .optional(),
  /**
   * Connections each instance may hold to PostgreSQL. At least 2: the compound matcher holds one for its lock
   * while its round reads through another.
   */
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'must be a whole number of connections between 2 and 1000' })
    .int('must be a whole number of connections between 2 and 1000')
    .min(2, 'must be a whole number of connections between 2 and 1000')
    .max(1000, 'must be a whole number of connections between 2 and 1000')
    .default(10),
  REPORTLINE_DATA_KEY: z.string().optional(),
  REDIS_URL: z
    .string()
    .regex(
      /^rediss?:\/\/\S+$/,
      'must be a Redis URL such as redis://127.0.0.1:6379 (leave it unset to count rate limits in the database)',
    )
    .optional(),
  PUBLIC_BASE_URL: z.url('must be an absolute URL such as https://report.example.org').optional(),
  REPORTLINE_IGNORED_INDICATORS: z.string().optional(),
  REPORTLINE_DIRECTORY_FILE: z.string().min(1).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'must be an SMTP URL such as smtps://user:password@mail.example.org:465')
    .optional(),
  MAIL_FROM: z
    .string()
    .min(3, 'must be a sender address such as "Reportline <cases@example.org>"')
    .default('Reportline <reportline@localhost>'),
  DELIVERY_POLL_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(3600).default(5),
  CHAT_OUTBOX_POLL_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(600).default(2),
  /** A shared location within this many metres of a compound proposes the compound for the case. */
  REPORTLINE_COMPOUND_RADIUS_METERS: z.coerce
    .number({ error: 'must be a number of metres' })
    .int('must be a whole number of metres')
    .min(10)
    .max(50_000)
    .default(1000),
  CHAT_OUTBOX_LEASE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(1)
    .max(3600)
    .default(10),
  LINE_EVENT_LEASE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(1)
    .max(3600)
    .default(10),
  POLLING_LEADER_RETRY_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(0.1).max(600).default(3),
  REPORTLINE_STOP_DRAIN_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(0).max(600).default(0),
  REPORTLINE_STOP_TIMEOUT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(1)
    .max(3600)
    .default(25),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'must be a bot token from @BotFather, like 123456789:AA…')
    .optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{16,256}$/,
      'must be 16 to 256 letters, digits, _ or - (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token)',
    )
    .optional(),
  TELEGRAM_MODE: z.enum(['webhook', 'polling'], { error: 'must be webhook or polling' }).default('webhook'),
  REPORTLINE_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Bangkok, Asia/Seoul or UTC')
    .default('UTC'),
  REPORTLINE_EXIT_URL: z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) address of an ordinary site, e.g. https://www.bbc.com/weather',
    })
    .optional(),
  REPORTLINE_NEUTRAL_NAME: z.string().trim().min(1).max(60, 'must be a short name of at most 60 characters').optional(),
  TELEGRAM_API_ROOT: z.url('must be the URL of a Bot API server, e.g. http://127.0.0.1:8081').optional(),
  LINE_CHANNEL_ACCESS_TOKEN: z
    .string()
    .min(20, 'must be the long-lived channel access token from the LINE Developers console')
    .optional(),
  LINE_CHANNEL_SECRET: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be the 32-hex-digit channel secret from the LINE Developers console')
    .optional(),
  LINE_API_BASE_URL: z.url('must be a URL such as https://api.line.me').optional(),
  LINE_DATA_API_BASE_URL: z.url('must be a URL such as https://api-data.line.me').optional(),
  REPORTLINE_TRUST_PROXY: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  EVIDENCE_MAX_MB: z.coerce.number({ error: 'must be a number of megabytes' }).min(1).max(50).default(10),
  REPORTLINE_PUBLIC_WRITES_PER_HOUR: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1)
    .max(100_000)
    .default(30),
  REPORTLINE_REQUEST_TIMEOUT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(1)
    .max(3600)
    .default(120),
  REPORTLINE_CONVERSATION_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1)
    .max(3650)
    .default(30),
  REPORTLINE_EXPORT_TLP: z.enum(tlpLevels, { error: `must be one of ${tlpLevels.join(', ')}` }).default('amber+strict'),
  REPORTLINE_EXPORT_PAP: z.enum(papLevels, { error: `must be one of ${papLevels.join(', ')}` }).default('AMBER'),
  REPORTLINE_WEBHOOK_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(2)
    .max(3650)
    .default(7),
  REPORTLINE_MAIL_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1)
    .max(3650)
    .default(30),
  REPORTLINE_CHECK_MIN_REPORTERS: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(2, 'must be at least 2: one report must never brand a number')
    .max(1000)
    .default(3),
  REPORTLINE_CHECKS_PER_10_MINUTES: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1)
    .max(100_000)
    .default(10),
  REPORTLINE_CHECK_RANGE_PER_MINUTE: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1)
    .max(1_000_000)
    .default(600),
  /** A payment to an account at most this many days before the report makes a freeze request (intake/mules). */
  REPORTLINE_FREEZE_REQUEST_DAYS: z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(0)
    .max(90)
    .default(7),
  /** Hours within which a freeze request should reach the bank's fraud desk. */
  REPORTLINE_FREEZE_REQUEST_HOURS: z.coerce
    .number({ error: 'must be a number of hours' })
    .positive()
    .max(168)
    .default(2),
});

export interface ReportlineConfig {
  /** Urgent cases: the hotline's and agencies' windows, escalation, the staff group (app/urgent-config.ts). */
  urgent: UrgentSettings;
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL: `maxConnections` is this instance's share of the server's connections (DATABASE_POOL_SIZE). */
  database: { kind: 'sqlite'; filename: string } | { kind: 'postgres'; url: string; maxConnections: number };
  /** Set: rate limits are counted in Redis, shared by every instance (else in PostgreSQL, or memory on SQLite). */
  redisUrl: string | undefined;
  /** Undefined: a development key is created under the data folder (with a warning). */
  dataKey: string | undefined;
  developmentKeyFile: string;
  publicBaseUrl: string | undefined;
  /** Indicators that must never link reports (a bank's public hotline, the agency's own number). */
  ignoredIndicators: Array<{ kind: IndicatorKind; value: string }>;
  /** The deployment's own agency directory file, if any. */
  directoryFile: string | undefined;
  /** Unset: e-mail deliveries are marked failed with the reason, for staff to see. */
  smtpUrl: string | undefined;
  mailFrom: string;
  deliveryPollMs: number;
  /** How often the chat outbox is checked for due retries (a turn's answer goes out at once). */
  chatOutboxPollMs: number;
  /** Within how many metres of a compound a shared location proposes it (REPORTLINE_COMPOUND_RADIUS_METERS). */
  compoundRadiusMeters: number;
  /** How long a chat message being sent stays claimed; after a crash it is sent again once this passes. */
  chatOutboxLeaseMs: number;
  /** How long a LINE event being handled stays this instance's; after a crash another instance takes it then. */
  lineEventLeaseMs: number;
  /** How often an instance that does not poll Telegram tries to become the one that does (PostgreSQL only). */
  pollingLeaderRetryMs: number;
  /** On SIGTERM: how long /readyz answers 503 while requests are still taken, for a load balancer to notice. */
  stopDrainMs: number;
  /** On SIGTERM: how long work under way may take to finish before the process exits anyway. */
  stopTimeoutMs: number;
  /** The environment itself, for secrets the directory names (webhook secrets). */
  environment: Record<string, string | undefined>;
  /** Set when TELEGRAM_BOT_TOKEN is: the Telegram bot runs. */
  telegram:
    | { token: string; mode: 'webhook' | 'polling'; webhookSecret: string | undefined; apiRoot: string | undefined }
    | undefined;
  evidenceMaxBytes: number;
  /** Behind a reverse proxy: rate limits count clients by the address it reports in X-Forwarded-For. */
  trustProxy: boolean;
  /**
   * What one client (an address) may create without an account in an hour,
   * for each kind: reports and evidence files over the API, form drafts, web chats.
   */
  publicWritesPerHour: number;
  /** A request (headers and body) must arrive within this; a slow sender is cut off. */
  requestTimeoutMs: number;
  retention: RetentionPolicy;
  /** "Check before you pay": reporters a warning needs, and the lookups' limits. */
  checks: {
    /** Distinct reporters a warning needs besides a staff confirmation (REPORTLINE_CHECK_MIN_REPORTERS). */
    minReporters: number;
    /** Checks one person (per channel) may make in ten minutes (REPORTLINE_CHECKS_PER_10_MINUTES). */
    checksPer10Minutes: number;
    /** Range queries one partner token may make in a minute (REPORTLINE_CHECK_RANGE_PER_MINUTE). */
    rangePerMinute: number;
  };
  /** The TLP and PAP every export and the MISP feed carry. */
  exportMarking: ExportMarking;
  /** The zone the console shows times in until a viewer chooses another (an IANA name). */
  timeZone: string;
  /** The public pages' title and the quick exit's site (REPORTLINE_NEUTRAL_NAME, REPORTLINE_EXIT_URL). */
  disguise: { exitUrl?: string; neutralName?: string };
  /** When a payment makes a freeze request, and how soon it should reach the bank (intake/mules). */
  freezeRequests: FreezeRequestSettings;
  /** Set when LINE_CHANNEL_ACCESS_TOKEN is: the LINE bot runs. */
  line:
    | {
        channelAccessToken: string;
        channelSecret: string;
        apiBaseUrl: string | undefined;
        dataApiBaseUrl: string | undefined;
      }
    | undefined;
}

export class ConfigError extends Error {
  readonly code = 'config.invalid';
}

/**
 * `kind:value` entries separated by commas, e.g.
 * `phone:+66 2 123 4567, domain:binance.com`, each normalized as reports are.
 */
function parseIgnoredIndicators(text: string | undefined): Array<{ kind: IndicatorKind; value: string }> {
  if (!text) return [];
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const separator = entry.indexOf(':');
      const kind = entry.slice(0, separator).trim();
      const indicator =
        separator > 0 && (indicatorKinds as readonly string[]).includes(kind)
          ? normalizeIndicator(kind as IndicatorKind, entry.slice(separator + 1))
          : undefined;
      if (!indicator) {
        throw new ConfigError(
          `Configuration error:\n  REPORTLINE_IGNORED_INDICATORS has an entry that is not kind:value with a recognisable value: "${entry}" (kinds: ${indicatorKinds.join(', ')})`,
        );
      }
      return { kind: indicator.kind, value: indicator.value };
    });
}

export function loadConfig(environment: Record<string, string | undefined>): ReportlineConfig {
  // An empty variable means "not set", as most shells and .env files intend.
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = environmentSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = issue.path.join('.');
      const got = present[variable];
      const secret = [
        'REPORTLINE_DATA_KEY',
        'SMTP_URL',
        'REDIS_URL',
        'TELEGRAM_BOT_TOKEN',
        'TELEGRAM_WEBHOOK_SECRET',
        'LINE_CHANNEL_ACCESS_TOKEN',
        'LINE_CHANNEL_SECRET',
      ].includes(variable);
      return `${variable} ${issue.message}${got !== undefined && !secret ? ` (got "${got}")` : ''}`;
    });
    throw new ConfigError(`Configuration error:\n  ${problems.join('\n  ')}`);
  }
  const env = result.data;
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Configuration error:\n  TELEGRAM_WEBHOOK_SECRET must be set when TELEGRAM_BOT_TOKEN is and TELEGRAM_MODE is webhook (or set TELEGRAM_MODE=polling)',
    );
  }
  if (Boolean(env.LINE_CHANNEL_ACCESS_TOKEN) !== Boolean(env.LINE_CHANNEL_SECRET)) {
    throw new ConfigError(
      'Configuration error:\n  LINE_CHANNEL_ACCESS_TOKEN and LINE_CHANNEL_SECRET must be set together (the secret checks every webhook call)',
    );
  }
  const dataDir = resolve(env.REPORTLINE_DATA_DIR);
  return {
    urgent: urgentSettingsOf(env),
    port: env.PORT,
    host: env.HOST,
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, maxConnections: env.DATABASE_POOL_SIZE }
      : { kind: 'sqlite', filename: join(dataDir, 'reportline.db') },
    redisUrl: env.REDIS_URL,
    dataKey: env.REPORTLINE_DATA_KEY,
    developmentKeyFile: join(dataDir, 'development-data-key'),
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    ignoredIndicators: parseIgnoredIndicators(env.REPORTLINE_IGNORED_INDICATORS),
    directoryFile: env.REPORTLINE_DIRECTORY_FILE ? resolve(env.REPORTLINE_DIRECTORY_FILE) : undefined,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    deliveryPollMs: env.DELIVERY_POLL_SECONDS * 1000,
    chatOutboxPollMs: env.CHAT_OUTBOX_POLL_SECONDS * 1000,
    compoundRadiusMeters: env.REPORTLINE_COMPOUND_RADIUS_METERS,
    chatOutboxLeaseMs: env.CHAT_OUTBOX_LEASE_SECONDS * 1000,
    lineEventLeaseMs: env.LINE_EVENT_LEASE_SECONDS * 1000,
    pollingLeaderRetryMs: env.POLLING_LEADER_RETRY_SECONDS * 1000,
    stopDrainMs: env.REPORTLINE_STOP_DRAIN_SECONDS * 1000,
    stopTimeoutMs: env.REPORTLINE_STOP_TIMEOUT_SECONDS * 1000,
    environment,
    telegram: env.TELEGRAM_BOT_TOKEN
      ? {
          token: env.TELEGRAM_BOT_TOKEN,
          mode: env.TELEGRAM_MODE,
          webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
          apiRoot: env.TELEGRAM_API_ROOT,
        }
      : undefined,
    evidenceMaxBytes: env.EVIDENCE_MAX_MB * 1024 * 1024,
    trustProxy: env.REPORTLINE_TRUST_PROXY === 'true',
    publicWritesPerHour: env.REPORTLINE_PUBLIC_WRITES_PER_HOUR,
    requestTimeoutMs: env.REPORTLINE_REQUEST_TIMEOUT_SECONDS * 1000,
    exportMarking: { tlp: env.REPORTLINE_EXPORT_TLP, pap: env.REPORTLINE_EXPORT_PAP },
    timeZone: env.REPORTLINE_TIME_ZONE,
    disguise: {
      ...(env.REPORTLINE_EXIT_URL ? { exitUrl: env.REPORTLINE_EXIT_URL } : {}),
      ...(env.REPORTLINE_NEUTRAL_NAME ? { neutralName: env.REPORTLINE_NEUTRAL_NAME } : {}),
    },
    freezeRequests: { recentDays: env.REPORTLINE_FREEZE_REQUEST_DAYS, hours: env.REPORTLINE_FREEZE_REQUEST_HOURS },
    checks: {
      minReporters: env.REPORTLINE_CHECK_MIN_REPORTERS,
      checksPer10Minutes: env.REPORTLINE_CHECKS_PER_10_MINUTES,
      rangePerMinute: env.REPORTLINE_CHECK_RANGE_PER_MINUTE,
    },
    retention: {
      abandonedConversationDays: env.REPORTLINE_CONVERSATION_RETENTION_DAYS,
      handledWebhookDays: env.REPORTLINE_WEBHOOK_RETENTION_DAYS,
      settledMailDays: env.REPORTLINE_MAIL_RETENTION_DAYS,
    },
    line:
      env.LINE_CHANNEL_ACCESS_TOKEN && env.LINE_CHANNEL_SECRET
        ? {
            channelAccessToken: env.LINE_CHANNEL_ACCESS_TOKEN,
            channelSecret: env.LINE_CHANNEL_SECRET,
            apiBaseUrl: env.LINE_API_BASE_URL,
            dataApiBaseUrl: env.LINE_DATA_API_BASE_URL,
          }
        : undefined,
  };
}
