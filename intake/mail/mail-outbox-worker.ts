import type { Kysely } from 'kysely';
import type { Transporter } from 'nodemailer';
import { systemClock, type Clock } from '../clock.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { errorCodeOf } from '../errors/error-code.js';
import { PollingLoop, workOffInBatches } from '../polling-loop.js';
import { RetryBackoff, type RetryBackoffOptions } from '../retry-backoff.js';
import { appendAuditEvent } from '../store/audit-log.js';
import type { Database } from '../store/database.js';
import { dialectKindOf } from '../store/dialect/dialect-kind.js';
import { isMailKind, mailKindSettlements, type SettledMail } from './mail-kinds.js';
import { mailMessageContext, type MailMessage } from './mail-outbox.js';

export interface MailOutboxWorkerOptions extends RetryBackoffOptions {
  db: Kysely<Database>;
  cipher: FieldCipher;
  /** The deployment's SMTP transport (SMTP_URL) and sender (MAIL_FROM). */
  mail: { transport: Transporter; from: string };
  now?: Clock;
  /** Tries before an e-mail is given up (and, for a freeze request, shown to staff as failed). */
  maxAttempts?: number;
  /** How long a claimed e-mail stays ours without renewal; renewed while it is sent, so only a crash lets it pass. */
  leaseMs?: number;
  /** E-mails sent at once. */
  concurrency?: number;
  onError?: (error: unknown) => void;
}

interface ClaimedMail extends SettledMail {
  kind: string;
  reportId: string;
  messageEnc: string;
  attempts: number;
  lease: string;
}

/** Why sending failed, as a stable code: the SMTP reply's number, else the error's code (never the server's words). */
export class MailSendError extends Error {
  constructor(
    readonly code: string,
    /** A 5xx reply: the server refused it for good (an unknown mailbox), trying again cannot help. */
    readonly permanent: boolean,
  ) {
    super(code);
  }
}

/** Sends one e-mail through the transport; its Message-ID is the outbox row's, the same on every try. */
export async function sendOutboxMail(
  mail: { transport: Transporter; from: string },
  id: string,
  message: MailMessage,
): Promise<void> {
  try {
    await mail.transport.sendMail({
      from: mail.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: `<${id}@reportline>`,
      headers: { 'X-Reportline-Mail-Id': id },
    });
  } catch (error) {
    const reply = (error as { responseCode?: unknown }).responseCode;
    if (typeof reply === 'number' && Number.isInteger(reply)) throw new MailSendError(`smtp.${reply}`, reply >= 500);
    throw new MailSendError(errorCodeOf(error), false);
  }
}

/**
 * Works off the mail outbox: each due e-mail is claimed with a lease (on
 * PostgreSQL `FOR UPDATE SKIP LOCKED`, so several instances never take the
 * same one), sent, and recorded as sent with its audit event. A failure is
 * tried again with backoff; a refusal for good (an SMTP 5xx) or the last try
 * gives it up, audited. A crash before sending leaves the lease to run out,
 * and the e-mail is sent then, by this instance or another. A crash after
 * the SMTP server took it and before the record sends it again, with the
 * same Message-ID, so a mail system can recognise the repeat.
 */
export class MailOutboxWorker {
  readonly #db: Kysely<Database>;
  readonly #options: MailOutboxWorkerOptions;
  readonly #now: Clock;
  readonly #backoff: RetryBackoff;
  readonly #maxAttempts: number;
  readonly #leaseMs: number;
  readonly #loop: PollingLoop;

  constructor(options: MailOutboxWorkerOptions) {
    this.#db = options.db;
    this.#options = options;
    this.#now = options.now ?? systemClock;
    // A supervisor's alert is late already: the first retries come soon, and none waits more than a quarter-hour.
    this.#backoff = new RetryBackoff(options, { baseDelayMs: 15_000, maxDelayMs: 15 * 60_000 });
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#loop = new PollingLoop(
      () => this.runOnce(),
      (error) => this.#onError(error),
    );
  }

  #onError(error: unknown): void {
    (this.#options.onError ?? (() => {}))(error);
  }

  /** Claims and sends every e-mail due now; returns how many were tried. */
  async runOnce(): Promise<number> {
    return workOffInBatches(
      this.#loop,
      () => this.#claimDue(this.#options.concurrency ?? 4),
      (mail) => this.#attempt(mail),
    );
  }

  async #claimDue(limit: number): Promise<ClaimedMail[]> {
    const now = this.#now();
    const nowText = now.toISOString();
    const lease = new Date(now.getTime() + this.#leaseMs).toISOString();
    const due = this.#db
      .selectFrom('mail_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowText)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowText)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .$if(dialectKindOf(this.#db) === 'postgres', (query) => query.forUpdate().skipLocked());
    const rows = await this.#db
      .updateTable('mail_outbox')
      .set({ lease_until: lease })
      .where('id', 'in', due)
      .returning([
        'id',
        'kind',
        'report_id',
        'freeze_request_id',
        'message_enc',
        'audit_detail',
        'queued_by',
        'attempts',
      ])
      .execute();
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      reportId: row.report_id,
      freezeRequestId: row.freeze_request_id,
      messageEnc: row.message_enc,
      auditDetail: JSON.parse(row.audit_detail) as Record<string, unknown>,
      queuedBy: row.queued_by,
      attempts: row.attempts,
      lease,
    }));
  }

  async #attempt(mail: ClaimedMail): Promise<void> {
    const attempts = mail.attempts + 1;
    // The heartbeat: however long the SMTP server takes, the e-mail in hand stays ours, so nobody sends it twice.
    let lease = mail.lease;
    let renewing: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => {
      renewing = renewing.then(async () => {
        const renewed = new Date(this.#now().getTime() + this.#leaseMs).toISOString();
        const result = await this.#db
          .updateTable('mail_outbox')
          .set({ lease_until: renewed })
          .where('id', '=', mail.id)
          .where('lease_until', '=', lease)
          .executeTakeFirst()
          .catch((error: unknown) => void this.#onError(error));
        if (result && Number(result.numUpdatedRows) > 0) lease = renewed;
      });
    }, this.#leaseMs / 3);
    heartbeat.unref();
    let failure: { error: unknown } | undefined;
    try {
      const message = this.#options.cipher.decryptJson<MailMessage>(mail.messageEnc, mailMessageContext(mail.id));
      await sendOutboxMail(this.#options.mail, mail.id, message);
    } catch (error) {
      failure = { error };
    }
    clearInterval(heartbeat);
    // A renewal under way when the send ended moves the lease: the record must name the lease as it is now.
    await renewing;
    if (failure) await this.#recordFailure({ ...mail, lease }, attempts, failure.error);
    else await this.#recordSent({ ...mail, lease }, attempts);
  }

  async #recordSent(mail: ClaimedMail, attempts: number): Promise<void> {
    const at = this.#now();
    const settlement = isMailKind(mail.kind) ? mailKindSettlements[mail.kind] : undefined;
    await this.#db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('mail_outbox')
        .set({ status: 'sent', attempts, sent_at: at.toISOString(), lease_until: null, last_error: null })
        .where('id', '=', mail.id)
        .where('lease_until', '=', mail.lease)
        .executeTakeFirst();
      // Our lease ran out and another worker took the e-mail: its record, not ours.
      if (Number(updated.numUpdatedRows) === 0 || !settlement) return;
      await settlement.onSent?.(trx, mail, at);
      await appendAuditEvent(trx, {
        actor: settlement.actorOf(mail),
        action: settlement.sentAction,
        reportId: mail.reportId,
        at,
        detail: { ...mail.auditDetail, mail: mail.id, attempts },
      });
    });
  }

  async #recordFailure(mail: ClaimedMail, attempts: number, error: unknown): Promise<void> {
    const at = this.#now();
    const known = error instanceof MailSendError;
    const code = known ? error.code : errorCodeOf(error);
    // A failure that is not the SMTP server's answer (an unreadable message, a bug) is logged with its code.
    if (!known) this.#onError(error);
    const final = attempts >= this.#maxAttempts || (known && error.permanent);
    const settlement = isMailKind(mail.kind) ? mailKindSettlements[mail.kind] : undefined;
    await this.#db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('mail_outbox')
        .set({
          status: final ? 'failed' : 'pending',
          attempts,
          last_error: code,
          lease_until: null,
          next_attempt_at: final
            ? at.toISOString()
            : new Date(at.getTime() + this.#backoff.delayMs(attempts)).toISOString(),
        })
        .where('id', '=', mail.id)
        .where('lease_until', '=', mail.lease)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0 || !final || !settlement) return;
      await settlement.onGivenUp?.(trx, mail, code);
      await appendAuditEvent(trx, {
        actor: settlement.actorOf(mail),
        action: settlement.failedAction,
        reportId: mail.reportId,
        at,
        detail: { ...mail.auditDetail, mail: mail.id, attempts, code },
      });
    });
  }

  /** Polls until stop(); `nudge()` makes it look at once (after a commit queued an e-mail). */
  start(pollIntervalMs = 5_000): void {
    this.#loop.start(pollIntervalMs);
  }

  nudge(): void {
    this.#loop.nudge();
  }

  /** Stops polling and waits for the e-mails in hand to be recorded; claims no more. */
  async stop(): Promise<void> {
    await this.#loop.stop();
  }
}
