import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { isLanguageCode } from '../i18n/languages.js';
import type { Limiter, RateLimits } from '../limits/rate-limits.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { indicatorBlindIndex } from '../store/report-store.js';
import { isCheckCategory, noWarningAdvice, warningAdvice } from './check-categories.js';
import type { CheckCounts } from './check-counts.js';
import { CheckError } from './check-error.js';
import type { CheckSafelist } from './check-safelist.js';
import type {
  CheckAnswer,
  CheckChannel,
  CheckRequest,
  CheckedIndicator,
  Checks,
  DisputeAnswer,
  DisputeRequest,
} from './check-types.js';
import { checkedIndicatorsOf, maxCheckTextLength } from './checked-indicators.js';
import { parsePartnerPrefix } from './partner-hash.js';

/** The deployment's settings of the check (app/config.ts). */
export interface CheckSettings {
  /** Distinct reporters a warning needs besides a staff confirmation (REPORTLINE_CHECK_MIN_REPORTERS, default 3). */
  minReporters: number;
  /** Checks one asker may make in ten minutes (REPORTLINE_CHECKS_PER_10_MINUTES, default 10). */
  checksPer10Minutes: number;
  /** Disputes one asker may send in an hour. */
  disputesPerHour: number;
}

export const defaultCheckSettings: CheckSettings = { minReporters: 3, checksPer10Minutes: 10, disputesPerHour: 5 };

const tenMinutesMs = 10 * 60_000;
const hourMs = 60 * 60_000;

export const disputeContext = (disputeId: string, field: 'subject' | 'explanation' | 'contact') =>
  `check-dispute:${disputeId}:${field}`;

/** A dispute as the intake takes it: what the public form must keep to. */
export const disputeSchema = z.object({
  text: z.string().trim().min(1).max(maxCheckTextLength),
  explanation: z.string().trim().min(1).max(4000),
  contact: z.string().trim().max(300).optional(),
  language: z.string().refine(isLanguageCode),
  channel: z.enum(['telegram', 'line', 'web', 'webchat', 'api']),
});

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const referenceAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function disputeReference(): string {
  const part = () => Array.from({ length: 4 }, () => referenceAlphabet[randomInt(referenceAlphabet.length)]).join('');
  return `CHK-${part()}-${part()}`;
}

/**
 * "Check before you pay" as the public asks it. The rule that cannot be
 * abused: an indicator is a `warning` only when a staff confirmation stands on
 * it (given only when at least `minReporters` distinct reporters were behind
 * it, `check-review.ts`), it is not safelisted and no upheld dispute withdrew
 * it. Everything else (no report, one, two, five unconfirmed ones, a partial
 * match) is the same `no_warning`, byte for byte, reached by the same two
 * queries: the answer and its timing depend on the confirmation alone.
 */
export class CheckService implements Checks {
  readonly #db: Kysely<Database>;
  readonly #cipher: FieldCipher;
  readonly #safelist: CheckSafelist;
  readonly #settings: CheckSettings;
  readonly #counts: CheckCounts;
  readonly #now: Clock;
  readonly #checksPerAsker: Limiter;
  readonly #disputesPerAsker: Limiter;

  constructor(parts: {
    db: Kysely<Database>;
    cipher: FieldCipher;
    limits: RateLimits;
    safelist: CheckSafelist;
    settings: CheckSettings;
    counts: CheckCounts;
    now: Clock;
  }) {
    this.#db = parts.db;
    this.#cipher = parts.cipher;
    this.#safelist = parts.safelist;
    this.#settings = parts.settings;
    this.#counts = parts.counts;
    this.#now = parts.now;
    // Volume limits: a store that is down admits (a person about to pay still gets an answer), as the form's do.
    this.#checksPerAsker = parts.limits.limiter(
      'check.checks-per-asker',
      { limit: parts.settings.checksPer10Minutes, windowMs: tenMinutesMs },
      'admit',
    );
    this.#disputesPerAsker = parts.limits.limiter(
      'check.disputes-per-asker',
      { limit: parts.settings.disputesPerHour, windowMs: hourMs },
      'admit',
    );
  }

  async check(request: CheckRequest): Promise<CheckAnswer> {
    if (!(await this.#checksPerAsker.allow(askerBucket(request.channel, request.askerKey)))) {
      this.#counts.count(request.channel, 'rate_limited');
      return { kind: 'rate_limited', retryAfterSeconds: tenMinutesMs / 1000 };
    }
    const indicators = checkedIndicatorsOf(request.text, request.countryHint);
    if (indicators.length === 0) {
      this.#counts.count(request.channel, 'nothing_recognised');
      return { kind: 'nothing_recognised' };
    }
    const hashes = indicators.map((indicator) => indicatorBlindIndex(this.#cipher, indicator.kind, indicator.value));
    // Both queries every time, whatever either finds.
    const [confirmations, safelisted] = await Promise.all([
      this.#db
        .selectFrom('check_confirmations')
        .select(['value_hash', 'category', 'status', 'reporters'])
        .where('value_hash', 'in', hashes)
        .execute(),
      this.#safelist.safelisted(hashes),
    ]);
    const confirmationOf = new Map(confirmations.map((row) => [row.value_hash, row]));
    const checked = indicators.map((indicator, index): CheckedIndicator => {
      const hash = hashes[index]!;
      const confirmation = confirmationOf.get(hash);
      const warning =
        confirmation !== undefined &&
        confirmation.status === 'confirmed' &&
        Number(confirmation.reporters) >= this.#settings.minReporters &&
        isCheckCategory(confirmation.category) &&
        !safelisted.has(hash);
      return warning && isCheckCategory(confirmation.category)
        ? {
            kind: indicator.kind,
            shown: indicator.value,
            verdict: 'warning',
            advice: warningAdvice(confirmation.category),
          }
        : { kind: indicator.kind, shown: indicator.value, verdict: 'no_warning', advice: [...noWarningAdvice] };
    });
    this.#counts.count(request.channel, checked.some((item) => item.verdict === 'warning') ? 'warning' : 'no_warning');
    return { kind: 'checked', indicators: checked };
  }

  async dispute(request: DisputeRequest): Promise<DisputeAnswer> {
    const parsed = disputeSchema.safeParse(request);
    if (!parsed.success) throw new CheckError('check.invalid_dispute');
    const input = parsed.data;
    if (!(await this.#disputesPerAsker.allow(askerBucket(input.channel, request.askerKey)))) {
      this.#counts.count(input.channel, 'rate_limited');
      return { kind: 'rate_limited', retryAfterSeconds: hourMs / 1000 };
    }
    const indicators = checkedIndicatorsOf(input.text, request.countryHint);
    if (indicators.length === 0) return { kind: 'nothing_recognised' };
    const id = randomUUID();
    const reference = disputeReference();
    const at = this.#now();
    const contact = input.contact && input.contact.length > 0 ? input.contact : undefined;
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('check_disputes')
        .values({
          id,
          reference,
          channel: input.channel,
          language: input.language,
          status: 'open',
          subject_enc: this.#cipher.encryptJson(
            indicators.map((indicator) => ({ kind: indicator.kind, value: indicator.value })),
            disputeContext(id, 'subject'),
          ),
          explanation_enc: this.#cipher.encrypt(input.explanation, disputeContext(id, 'explanation')),
          contact_enc: contact ? this.#cipher.encrypt(contact, disputeContext(id, 'contact')) : null,
          created_at: at.toISOString(),
          decided_at: null,
          decided_by: null,
        })
        .execute();
      const rows = new Map(
        indicators.map((indicator) => {
          const valueHash = indicatorBlindIndex(this.#cipher, indicator.kind, indicator.value);
          return [valueHash, { dispute_id: id, value_hash: valueHash, kind: indicator.kind }] as const;
        }),
      );
      await trx
        .insertInto('check_dispute_indicators')
        .values([...rows.values()])
        .execute();
      await appendAuditEvent(trx, {
        actor: `channel:${input.channel}`,
        action: 'check.dispute_received',
        at,
        detail: { disputeId: id, indicators: rows.size },
      });
    });
    this.#counts.count(input.channel, 'dispute');
    return { kind: 'received', reference };
  }

  async range(prefix: string): Promise<string[]> {
    const parsed = parsePartnerPrefix(prefix);
    if (!parsed) throw new CheckError('check.invalid_prefix');
    const rows = await this.#db
      .selectFrom('check_confirmations as c')
      .select(['c.partner_hash', 'c.value_hash'])
      .where('c.partner_prefix', '=', parsed)
      .where('c.status', '=', 'confirmed')
      .where('c.reporters', '>=', this.#settings.minReporters)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('check_safelist as s').select('s.value_hash').whereRef('s.value_hash', '=', 'c.value_hash'),
          ),
        ),
      )
      .orderBy('c.partner_hash')
      .execute();
    const fixed = this.#safelist.fixedHashes();
    return rows.filter((row) => !fixed.has(row.value_hash)).map((row) => row.partner_hash);
  }
}

/** One limit per person per channel: a Telegram user and a web visitor with the same number are different askers. */
function askerBucket(channel: CheckChannel, askerKey: string): string {
  return `${channel}\u0000${askerKey}`;
}
