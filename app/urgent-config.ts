import { z } from 'zod';
import { isLanguageCode, type LanguageCode } from '../intake/i18n/languages.js';
// A cycle with config.ts, which reads these settings: ConfigError is only used once both have loaded.
import { ConfigError } from './config.js';

/** The environment variables of urgent cases' clocks and the duty desk (intake/urgent). */
export const urgentEnvironment = {
  /** Minutes the hotline has to take an urgent case before a supervisor is alerted. */
  REPORTLINE_URGENT_ACK_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(1)
    .max(1440)
    .default(15),
  /** Minutes an agency has to accept an urgent case, unless its directory entry says `urgentAcceptMinutes`. */
  REPORTLINE_URGENT_ACCEPT_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(1)
    .max(1440)
    .default(30),
  /** Agency ids an unaccepted urgent case is offered to, in order, comma-separated. */
  REPORTLINE_URGENT_ESCALATION_AGENCIES: z
    .string()
    .regex(/^[a-z0-9-]{2,40}(\s*,\s*[a-z0-9-]{2,40})*$/, 'must be agency ids separated by commas, e.g. interpol')
    .default('interpol'),
  /** The staff Telegram group the bot tells of urgent cases (reference and country only). */
  REPORTLINE_DUTY_TELEGRAM_CHAT_ID: z
    .string()
    .regex(/^-?\d{1,20}$/, 'must be a Telegram chat id, e.g. -1001234567890')
    .optional(),
  /** The staff LINE group the bot tells of urgent cases. */
  REPORTLINE_DUTY_LINE_GROUP_ID: z
    .string()
    .regex(/^C[0-9a-f]{32}$/, 'must be a LINE group id (C followed by 32 hexadecimal digits)')
    .optional(),
  /** The supervisors told by e-mail when nobody at the hotline took an urgent case in time, comma-separated. */
  REPORTLINE_SUPERVISOR_EMAILS: z
    .string()
    .transform((value) => value.split(',').map((address) => address.trim()))
    .pipe(z.array(z.email('must be e-mail addresses separated by commas')).min(1).max(20))
    .optional(),
  /** The language of the staff group's messages and the supervisors' e-mails. */
  REPORTLINE_DUTY_LANGUAGE: z
    .string()
    .refine((value) => isLanguageCode(value), 'must be one of the project languages, e.g. en')
    .default('en'),
  URGENT_CLOCK_POLL_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(600).default(5),
};

export interface UrgentSettings {
  hotlineAckMinutes: number;
  defaultAgencyAcceptMinutes: number;
  escalationAgencies: string[];
  dutyTelegramChatId: string | undefined;
  dutyLineGroupId: string | undefined;
  dutyLanguage: LanguageCode;
  clockPollMs: number;
  /** Empty: supervisors are alerted in the console and the staff group only. */
  supervisorEmails: string[];
}

type UrgentEnvironment = z.output<z.ZodObject<typeof urgentEnvironment>>;

/**
 * The urgent settings of a validated environment. A staff group is written to by its own channel's bot: naming a
 * group without that bot would silently tell nobody, so it stops start-up instead.
 */
export function urgentSettingsOf(
  env: UrgentEnvironment & {
    TELEGRAM_BOT_TOKEN?: string | undefined;
    LINE_CHANNEL_ACCESS_TOKEN?: string | undefined;
    SMTP_URL?: string | undefined;
  },
): UrgentSettings {
  if (env.REPORTLINE_DUTY_TELEGRAM_CHAT_ID && !env.TELEGRAM_BOT_TOKEN)
    throw new ConfigError(
      'Configuration error:\n  REPORTLINE_DUTY_TELEGRAM_CHAT_ID needs TELEGRAM_BOT_TOKEN: the bot posts to the staff group',
    );
  if (env.REPORTLINE_DUTY_LINE_GROUP_ID && !env.LINE_CHANNEL_ACCESS_TOKEN)
    throw new ConfigError(
      'Configuration error:\n  REPORTLINE_DUTY_LINE_GROUP_ID needs LINE_CHANNEL_ACCESS_TOKEN: the bot posts to the staff group',
    );
  if (env.REPORTLINE_SUPERVISOR_EMAILS && !env.SMTP_URL)
    throw new ConfigError(
      'Configuration error:\n  REPORTLINE_SUPERVISOR_EMAILS needs SMTP_URL: the supervisors are told by e-mail',
    );
  return {
    hotlineAckMinutes: env.REPORTLINE_URGENT_ACK_MINUTES,
    defaultAgencyAcceptMinutes: env.REPORTLINE_URGENT_ACCEPT_MINUTES,
    escalationAgencies: env.REPORTLINE_URGENT_ESCALATION_AGENCIES.split(',').map((id) => id.trim()),
    dutyTelegramChatId: env.REPORTLINE_DUTY_TELEGRAM_CHAT_ID,
    dutyLineGroupId: env.REPORTLINE_DUTY_LINE_GROUP_ID,
    dutyLanguage: env.REPORTLINE_DUTY_LANGUAGE as LanguageCode,
    clockPollMs: env.URGENT_CLOCK_POLL_SECONDS * 1000,
    supervisorEmails: env.REPORTLINE_SUPERVISOR_EMAILS ?? [],
  };
}
