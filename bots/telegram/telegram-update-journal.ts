import type { Update } from 'telegraf/types';
import type { InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { createInboundEventLanes } from '../../intake/store/inbound-event-lanes.js';

export interface TelegramUpdateJournalOptions {
  journal: InboundEventJournal;
  /** Handles one update (the bot's turn); resolves once the turn and its answer are committed. */
  handle: (update: Update) => Promise<void>;
  onError: (error: unknown) => void;
  /**
   * How long a webhook call waits for its own update to be handled before it answers 200 all the same (the update
   * is recorded: it is handled later, here or by another instance). Telegram gives a webhook about a minute.
   */
  answerWithinMs?: number;
}

/**
 * Whose update it is: the chat it was said in (a private chat's id is the person's), or for an update without a
 * chat, the person who sent it. One subject's updates are handled one at a time, by update_id.
 */
export function telegramSubjectOf(update: Record<string, unknown>): string | undefined {
  const kinds = ['message', 'edited_message', 'callback_query', 'channel_post', 'edited_channel_post'];
  for (const kind of kinds) {
    const part = update[kind] as
      { chat?: { id?: unknown }; message?: { chat?: { id?: unknown } }; from?: { id?: unknown } } | undefined;
    if (!part) continue;
    const chatId = part.chat?.id ?? part.message?.chat?.id;
    if (typeof chatId === 'number') return `chat:${chatId}`;
    if (typeof part.from?.id === 'number') return `user:${part.from.id}`;
  }
  return undefined;
}

/**
 * Telegram's webhook updates, through the same journal as LINE's events, so that several instances keep each
 * person's order. Telegram may post two updates of one chat at once (up to max_connections in parallel), and a
 * load balancer sends them to two instances: handled there directly, the later could be committed first. Here an
 * update is recorded (by its update_id, once: a redelivery finds it taken) with its chat as the subject and
 * update_id as its place; any instance claims only the oldest open update of a chat, so a chat's updates are
 * handled one at a time, by update_id, whichever instance took them. The webhook answers once its update is
 * handled (so Telegram's redelivery and pacing work as before), or after `answerWithinMs` when another
 * instance's turn holds it up: recorded is enough to be answered, nothing is lost.
 */
export function createTelegramUpdateJournal(options: TelegramUpdateJournalOptions) {
  const { journal, handle, onError } = options;
  const answerWithinMs = options.answerWithinMs ?? 25_000;
  /** Webhook calls waiting for their update, by update_id: told when this instance has handled (or tried) it. */
  const waiting = new Map<string, Set<() => void>>();

  const settled = (key: string) => {
    for (const resolve of waiting.get(key) ?? []) resolve();
    waiting.delete(key);
  };

  // Lanes: a slow turn holds up only its own chat's lane, not the other chats' updates.
  const lanes = createInboundEventLanes({
    journal,
    channel: 'telegram',
    handle: (pending) => handle(pending.payload as Update),
    onError,
    onSettled: (pending) => settled(pending.key),
  });
  const { processPending } = lanes;

  /** Resolves once the update is handled here, seen handled by another instance, or the wait is over. */
  async function handledOrTimedOut(key: string): Promise<void> {
    const until = Date.now() + answerWithinMs;
    let done = false;
    let resolveMine = () => {};
    const mine = new Promise<void>((resolve) => (resolveMine = resolve)).then(() => {
      done = true;
    });
    const set = waiting.get(key) ?? new Set();
    set.add(resolveMine);
    waiting.set(key, set);
    try {
      // Another instance may be the one that handles it (the chat's earlier update is in hand there).
      while (!done && Date.now() < until) {
        await Promise.race([mine, new Promise((resolve) => setTimeout(resolve, 500))]);
        if (!done && (await journal.isProcessed('telegram', key))) done = true;
      }
    } finally {
      // A call that gave up forgets itself: the map only holds calls still waiting.
      set.delete(resolveMine);
      if (set.size === 0 && waiting.get(key) === set) waiting.delete(key);
    }
  }

  return {
    /**
     * One update from the webhook: recorded, worked off, and resolved once it is handled (or the wait is over).
     * A redelivered update that is handled already resolves at once.
     */
    async receive(update: Update): Promise<void> {
      const key = String(update.update_id);
      const subject = telegramSubjectOf(update as unknown as Record<string, unknown>);
      const fresh = await journal.record('telegram', [
        { key, payload: update, order: update.update_id, ...(subject ? { subject } : {}) },
      ]);
      if (fresh === 0 && (await journal.isProcessed('telegram', key))) return;
      const answered = handledOrTimedOut(key);
      processPending().catch(onError);
      await answered;
    },
    processPending,
    /** A graceful stop: finishes the updates under way, claims no more. */
    async stop(): Promise<void> {
      await lanes.stop();
      for (const key of [...waiting.keys()]) settled(key);
    },
  };
}
