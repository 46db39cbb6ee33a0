import type { Update } from 'telegraf/types';
import { errorCodeOf } from '../../intake/errors/error-code.js';
import type { InboundEventJournal, PendingEvent } from '../../intake/store/inbound-event-journal.js';

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

/** Chats whose updates one instance handles at the same time (one update each, one lane each). */
const updatesAtOnce = 8;

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
  const heartbeatEveryMs = Math.max(100, Math.floor(journal.leaseMs / 3));
  /** Webhook calls waiting for their update, by update_id: told when this instance has handled (or tried) it. */
  const waiting = new Map<string, Set<() => void>>();
  /** Lanes at work: each claims one update, handles it, and claims the next, until none is open. */
  let lanes = 0;
  /** Counts calls for work: a lane that found nothing looks again when one came while it looked. */
  let asked = 0;
  let idle: Promise<void> = Promise.resolve();
  let becameIdle: () => void = () => {};
  let stopping = false;
  let wakeUp: NodeJS.Timeout | undefined;

  const settled = (key: string) => {
    for (const resolve of waiting.get(key) ?? []) resolve();
    waiting.delete(key);
  };

  /**
   * One lane: claim the oldest open update of some chat, handle it, go on. A lane that claimed one opens another
   * (up to `updatesAtOnce`), so the lanes grow with the work and a slow turn holds up only its own lane.
   */
  async function lane(): Promise<void> {
    for (;;) {
      const askedBefore = asked;
      const [pending] = await journal.claim('telegram', 1);
      if (stopping) {
        // Stopping: an update not begun is handed back at once, not held until its lease passes.
        if (pending) await journal.release([pending.id]);
        return;
      }
      if (!pending) {
        if (asked !== askedBefore) continue;
        return;
      }
      if (lanes < updatesAtOnce) openLane();
      await handleOne(pending);
    }
  }

  function openLane(): void {
    if (lanes === 0) idle = new Promise<void>((resolve) => (becameIdle = resolve));
    lanes += 1;
    void lane()
      .catch(onError)
      .finally(() => {
        lanes -= 1;
        if (lanes > 0) return;
        becameIdle();
        if (!stopping) wakeWhenClaimable().catch(onError);
      });
  }

  /** One claimed update, its lease renewed while it is handled; told to the webhook call waiting for it. */
  async function handleOne(pending: PendingEvent): Promise<void> {
    const heartbeat = setInterval(() => journal.renew([pending.id]).catch(onError), heartbeatEveryMs);
    heartbeat.unref();
    try {
      await handle(pending.payload as Update);
      await journal.markProcessed(pending.id);
    } catch (error) {
      onError(error);
      await journal.markFailed(pending.id, pending.attempts + 1, errorCodeOf(error));
    } finally {
      clearInterval(heartbeat);
      settled(pending.key);
    }
  }

  /** Works off every recorded update not yet handled; resolves when this instance's lanes are all done. */
  function processPending(): Promise<void> {
    if (stopping) return idle;
    asked += 1;
    // A new update need not wait for the lanes' slow turns: a lane of its own while there is room.
    if (lanes < updatesAtOnce) openLane();
    return idle;
  }

  /** Updates held by another (perhaps dead) instance's lease, or waiting to be tried again: looked at then. */
  async function wakeWhenClaimable(): Promise<void> {
    const at = await journal.nextClaimableAt('telegram');
    if (wakeUp) clearTimeout(wakeUp);
    wakeUp = undefined;
    if (!at) return;
    wakeUp = setTimeout(
      () => {
        wakeUp = undefined;
        processPending().catch(onError);
      },
      Math.max(0, at.getTime() - Date.now()) + 20,
    );
    wakeUp.unref();
  }

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
      stopping = true;
      if (wakeUp) clearTimeout(wakeUp);
      await idle;
      for (const key of [...waiting.keys()]) settled(key);
    },
  };
}
