import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Channel } from '../report/report-schema.js';
import type { Database } from './database.js';
import { StoreBase } from './store-base.js';
import { isUniqueViolation } from './dialect/constraint-errors.js';
import { newTimeOrderedId } from './time-ordered-id.js';

export interface StoredConversation {
  id: string;
  channel: Channel;
  /** The channel's address for this person (Telegram chat id, LINE user id, web chat session). */
  channelUserId: string;
  /** The engine's state as JSON (the engine parses and validates it). */
  state: unknown;
  version: number;
  status: 'active' | 'stopped';
  reportId: string | null;
}

export class ConversationConflictError extends Error {
  readonly code = 'conversation.conflict';
}

const stateContext = (id: string) => `conversation:${id}:state`;
/** The context the channel address of a conversation is encrypted under; the chat outbox reads it too. */
export const conversationUserContext = (id: string) => `conversation:${id}:user`;
const userContext = conversationUserContext;

/**
 * Where each reporter is in the conversation, saved after every step, so a
 * restart, a crash or a reporter who comes back two days later continues
 * where they were. Saving a step and recording the update that caused it
 * happen in one transaction: a redelivered update finds itself processed.
 */
export class ConversationStore extends StoreBase {
  #userHash(channel: Channel, channelUserId: string): string {
    return this.cipher.blindIndex(`conversation-user:${channel}`, channelUserId);
  }

  async load(channel: Channel, channelUserId: string): Promise<StoredConversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('channel', '=', channel)
      .where('channel_user_hash', '=', this.#userHash(channel, channelUserId))
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      channel,
      channelUserId,
      state: this.cipher.decryptJson<unknown>(row.state_enc, stateContext(row.id)),
      version: row.version,
      status: row.status as StoredConversation['status'],
      reportId: row.report_id,
    };
  }

  async isProcessed(channel: Channel, updateKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('processed_updates')
      .select('update_key')
      .where('channel', '=', channel)
      .where('update_key', '=', updateKey)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Saves the state reached after one update. `expectedVersion` is the
   * version that was loaded (undefined for a new conversation); if another
   * update for the same person saved in between, ConversationConflictError is
   * thrown and nothing is written, so the caller can reload and try again.
   * With `updateKey`, the update is recorded as processed in the same
   * transaction; if it was already recorded, false is returned and nothing
   * is written. `alsoInTransaction` runs in the same transaction once the
   * conversation's row is written (it gets the row's id): a turn's messages
   * for the chat outbox are committed with the state, or not at all.
   */
  async save(
    channel: Channel,
    channelUserId: string,
    change: {
      state: unknown;
      expectedVersion: number | undefined;
      updateKey?: string;
      reportId?: string | null;
      status?: StoredConversation['status'];
      existingId?: string;
      alsoInTransaction?: (trx: Transaction<Database>, conversationId: string) => Promise<void>;
    },
  ): Promise<boolean> {
    const at = this.now().toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        if (change.updateKey !== undefined) {
          await trx
            .insertInto('processed_updates')
            .values({ channel, update_key: change.updateKey, processed_at: at })
            .execute();
        }
        if (change.expectedVersion === undefined) {
          const id = newTimeOrderedId();
          await trx
            .insertInto('conversations')
            .values({
              id,
              channel,
              channel_user_hash: this.#userHash(channel, channelUserId),
              channel_user_enc: this.cipher.encrypt(channelUserId, userContext(id)),
              state_enc: this.cipher.encryptJson(change.state, stateContext(id)),
              version: 1,
              status: change.status ?? 'active',
              report_id: change.reportId ?? null,
              created_at: at,
              updated_at: at,
            })
            .execute();
          await change.alsoInTransaction?.(trx, id);
          return;
        }
        const id = change.existingId;
        if (!id) throw new Error('existingId is required to update a conversation');
        const result = await trx
          .updateTable('conversations')
          .set({
            state_enc: this.cipher.encryptJson(change.state, stateContext(id)),
            version: change.expectedVersion + 1,
            updated_at: at,
            ...(change.status ? { status: change.status } : {}),
            ...(change.reportId !== undefined ? { report_id: change.reportId } : {}),
          })
          .where('id', '=', id)
          .where('version', '=', change.expectedVersion)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1)
          throw new ConversationConflictError('the conversation changed meanwhile');
        await change.alsoInTransaction?.(trx, id);
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        if (change.updateKey !== undefined && (await this.isProcessed(channel, change.updateKey))) return false;
        // A first message from the same person raced another: treat as a conflict and reload.
        throw new ConversationConflictError('the conversation was created meanwhile');
      }
      throw error;
    }
  }

  /** The person blocked the bot or left: stop talking to them until they come back. */
  async markStopped(channel: Channel, channelUserId: string): Promise<void> {
    await this.db
      .updateTable('conversations')
      .set({ status: 'stopped', updated_at: this.now().toISOString() })
      .where('channel', '=', channel)
      .where('channel_user_hash', '=', this.#userHash(channel, channelUserId))
      .execute();
  }

  /**
   * The quick exit, for a chat a browser holds by its session (the web chat):
   * its session no longer opens the conversation, and the transcript is gone.
   * One that never stored a report is deleted with everything typed in it.
   * One that did is stopped and its transcript deleted; it moves to an address
   * nobody holds (the staff console still finds it by its report, and the
   * report stays sent), so the old session opens a fresh, empty chat.
   */
  async endBrowserVisit(channel: Channel, channelUserId: string): Promise<'deleted' | 'stopped' | 'none'> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('conversations')
        .select(['id', 'state_enc', 'report_id'])
        .where('channel', '=', channel)
        .where('channel_user_hash', '=', this.#userHash(channel, channelUserId))
        .executeTakeFirst();
      if (!row) return 'none';
      if (row.report_id === null) {
        await trx.deleteFrom('conversations').where('id', '=', row.id).execute();
        return 'deleted';
      }
      const state = this.cipher.decryptJson<unknown>(row.state_enc, stateContext(row.id));
      const kept =
        state && typeof state === 'object' && !Array.isArray(state)
          ? Object.fromEntries(Object.entries(state).filter(([key]) => key !== 'transcript'))
          : state;
      const nobody = randomBytes(24).toString('base64url');
      await trx
        .updateTable('conversations')
        .set((eb) => ({
          channel_user_hash: this.#userHash(channel, nobody),
          channel_user_enc: this.cipher.encrypt(nobody, userContext(row.id)),
          state_enc: this.cipher.encryptJson(kept, stateContext(row.id)),
          status: 'stopped',
          version: eb('version', '+', 1),
          updated_at: this.now().toISOString(),
        }))
        .where('id', '=', row.id)
        .execute();
      return 'stopped';
    });
  }

  /** Where to reach the person behind a report through the chat they used, if they did. */
  async channelAddressOfReport(
    reportId: string,
    trx?: Transaction<Database>,
  ): Promise<{ conversationId: string; channel: Channel; channelUserId: string; status: string } | undefined> {
    const executor: Kysely<Database> = trx ?? this.db;
    const row = await executor
      .selectFrom('conversations')
      .select(['id', 'channel', 'channel_user_enc', 'status'])
      .where('report_id', '=', reportId)
      .orderBy('updated_at', 'desc')
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      conversationId: row.id,
      channel: row.channel as Channel,
      channelUserId: this.cipher.decrypt(row.channel_user_enc, userContext(row.id)),
      status: row.status,
    };
  }
}
