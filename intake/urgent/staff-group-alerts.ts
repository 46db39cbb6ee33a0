import type { TFunction } from 'i18next';
import type { Kysely, Transaction } from 'kysely';
import type { OutboxMessage } from '../chat/chat-channel.js';
import type { ChatOutbox } from '../chat/chat-outbox.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Channel } from '../report/report-schema.js';
import { countryName } from '../routing/display-names.js';
import { conversationUserContext } from '../store/conversation-store.js';
import type { Database } from '../store/database.js';

/** A staff group the hotline's bot is a member of (a Telegram group, a LINE group), with the bot's own rendering. */
export interface StaffGroupTarget {
  channel: Extract<Channel, 'telegram' | 'line'>;
  /** The group's address: a Telegram chat id (`-100…`), a LINE group id (`C…`). */
  chatId: string;
  renderText(text: string): OutboxMessage[];
}

export const staffGroupAlertKinds = [
  'urgent',
  'reopened',
  'dangerAgain',
  'letGo',
  'supervisor',
  'escalated',
  'noFurtherAgency',
] as const;
export type StaffGroupAlertKind = (typeof staffGroupAlertKinds)[number];

/**
 * The first alert of a clock's round: `urgent` (a new case) for the case's first urgency, else what made the case
 * need someone again (`round_reason`, restart-urgent-clock.ts), so the group does not take it for a new case.
 */
export function roundAlertKind(roundReason: string | null): StaffGroupAlertKind {
  if (roundReason === 'reopened') return 'reopened';
  if (roundReason === 'danger_again') return 'dangerAgain';
  if (roundReason === 'let_go') return 'letGo';
  return 'urgent';
}

/** An alert's messages, one list per configured group (in the order of the targets). */
export interface RenderedStaffGroupAlert {
  messages: OutboxMessage[][];
  count: number;
}

/** The conversation row a staff group's messages queue under (one per channel). */
export const staffGroupConversationId = (channel: Channel) => `staff-group-${channel}`;

/**
 * Tells the hotline's staff group of an urgent case: its reference and the
 * country only, never who reported or what they wrote (a group is read on
 * phones and previews). The message goes through the chat outbox in the
 * caller's transaction, so it is sent by the chat outbox worker, retried, and
 * never lost or sent twice. The group is a conversation row of its own,
 * addressed through a blind index of another scope than a reporter's, so the
 * bot never takes it for a person's conversation.
 */
export class StaffGroupAlerts {
  readonly #cipher: FieldCipher;
  readonly #outbox: ChatOutbox;
  readonly #targets: readonly StaffGroupTarget[];
  readonly #t: TFunction;
  readonly #language: string;

  constructor(parts: {
    cipher: FieldCipher;
    outbox: ChatOutbox;
    targets: readonly StaffGroupTarget[];
    /** The deployment's language for the group, `staff` namespace. */
    t: TFunction;
    language: string;
  }) {
    this.#cipher = parts.cipher;
    this.#outbox = parts.outbox;
    this.#targets = parts.targets;
    this.#t = parts.t;
    this.#language = parts.language;
  }

  get configured(): boolean {
    return this.#targets.length > 0;
  }

  /**
   * The alert's messages for every configured group, rendered now and queued with the others of a clock batch
   * (`queueRendered`); `count` is how many messages queuing them writes.
   */
  render(alert: { kind: StaffGroupAlertKind; reference: string; country: string | null }): RenderedStaffGroupAlert {
    const country = alert.country ? countryName(alert.country, this.#language) : this.#t('urgent.group.countryUnknown');
    return this.#rendered(this.#t(`urgent.group.${alert.kind}`, { reference: alert.reference, country }));
  }

  /** Queues the alert for every configured group; returns how many messages were queued. */
  async tell(
    trx: Transaction<Database>,
    alert: { kind: StaffGroupAlertKind; reference: string; country: string | null; at: Date },
  ): Promise<number> {
    return this.queueRendered(trx, [this.render(alert)], alert.at);
  }

  /** One message for the urgent cases that got their clock late, at start-up (backfill-urgent-clocks.ts): a count. */
  async tellBackfilled(trx: Transaction<Database>, summary: { cases: number; at: Date }): Promise<number> {
    return this.queueRendered(
      trx,
      [this.#rendered(this.#t('urgent.group.backfilled', { count: summary.cases }))],
      summary.at,
    );
  }

  /**
   * Queues rendered alerts in `trx`, in their order: each group's conversation is touched once and its messages
   * take one append to the chat outbox for all of them (a burst's batch of alerts costs a group a few statements,
   * not a few per alert). Returns how many messages were queued.
   */
  async queueRendered(
    trx: Transaction<Database>,
    alerts: readonly RenderedStaffGroupAlert[],
    at: Date,
  ): Promise<number> {
    let queued = 0;
    for (const [index, target] of this.#targets.entries()) {
      const messages = alerts.flatMap((alert) => alert.messages[index] ?? []);
      if (messages.length === 0) continue;
      const conversationId = await this.#groupConversation(trx, target, at);
      const ids = await this.#outbox.enqueue(trx, { conversationId, channel: target.channel, messages });
      queued += ids.length;
    }
    return queued;
  }

  #rendered(text: string): RenderedStaffGroupAlert {
    const messages = this.#targets.map((target) => target.renderText(text));
    return { messages, count: messages.reduce((sum, rendered) => sum + rendered.length, 0) };
  }

  async #groupConversation(trx: Kysely<Database>, target: StaffGroupTarget, at: Date): Promise<string> {
    const id = staffGroupConversationId(target.channel);
    const timestamp = at.toISOString();
    const address = {
      channel_user_hash: this.#cipher.blindIndex(`urgent-staff-group:${target.channel}`, target.chatId),
      channel_user_enc: this.#cipher.encrypt(target.chatId, conversationUserContext(id)),
    };
    // Touched with every alert: retention sweeps only conversations left untouched for days.
    const updated = await trx
      .updateTable('conversations')
      .set({ ...address, updated_at: timestamp })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      await trx
        .insertInto('conversations')
        .values({
          id,
          channel: target.channel,
          ...address,
          state_enc: this.#cipher.encryptJson({ staffGroup: true }, `conversation:${id}:state`),
          version: 0,
          status: 'active',
          report_id: null,
          created_at: timestamp,
          updated_at: timestamp,
        })
        .execute();
    return id;
  }
}
