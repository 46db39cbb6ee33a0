import { errorCodeOf } from '../errors/error-code.js';
import type { Channel } from '../report/report-schema.js';
import type { InboundEventJournal, PendingEvent } from './inbound-event-journal.js';

export interface InboundEventLanesOptions {
  journal: InboundEventJournal;
  channel: Channel;
  /** Handles one claimed event (the bot's turn); resolves once the turn and its answer are committed. */
  handle: (pending: PendingEvent) => Promise<void>;
  onError: (error: unknown) => void;
  /** Told once this instance has handled (or tried) an event: a webhook call may be waiting for it. */
  onSettled?: (pending: PendingEvent) => void;
}

/** Subjects (people, chats) whose events one instance handles at the same time: one event each, one lane each. */
const lanesAtMost = 8;

/**
 * Works a channel's journal off in lanes: each lane claims one event of some subject (the journal hands out only
 * each subject's oldest open one), handles it, and claims the next, until none is open. A lane that claimed opens
 * another (up to `lanesAtMost`), and a call for work opens one while there is room, so the lanes grow with the
 * work and a slow turn holds up only its own lane (a batch waited for its slowest before claiming more). A lane
 * that found nothing looks again when work was asked for while it looked, so no call for work is lost.
 */
export function createInboundEventLanes(options: InboundEventLanesOptions) {
  const { journal, channel, handle, onError } = options;
  const heartbeatEveryMs = Math.max(100, Math.floor(journal.leaseMs / 3));
  let lanes = 0;
  /** Counts calls for work: a lane that found nothing looks again when one came while it looked. */
  let asked = 0;
  let idle: Promise<void> = Promise.resolve();
  let becameIdle: () => void = () => {};
  let stopping = false;
  let wakeUp: NodeJS.Timeout | undefined;
  /** The last look (when a held event can next be claimed) under way: a stop waits for it. */
  let looking: Promise<void> = Promise.resolve();

  async function lane(): Promise<void> {
    while (!stopping) {
      const askedBefore = asked;
      const [pending] = await journal.claim(channel, 1);
      if (stopping) {
        // Stopping: an event not begun is handed back at once, not held until its lease passes.
        if (pending) await journal.release([pending.id]);
        return;
      }
      if (!pending) {
        if (asked !== askedBefore) continue;
        return;
      }
      if (lanes < lanesAtMost) openLane();
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
        if (!stopping) looking = wakeWhenClaimable().catch(onError);
      });
  }

  /**
   * One claimed event, its (short) lease renewed while it is handled however slow the turn: if this process dies
   * the lease runs out within one lease and another instance takes it.
   */
  async function handleOne(pending: PendingEvent): Promise<void> {
    const heartbeat = setInterval(() => journal.renew([pending.id]).catch(onError), heartbeatEveryMs);
    heartbeat.unref();
    try {
      await handle(pending);
      await journal.markProcessed(pending.id);
    } catch (error) {
      onError(error);
      await journal.markFailed(pending.id, pending.attempts + 1, errorCodeOf(error));
    } finally {
      clearInterval(heartbeat);
      options.onSettled?.(pending);
    }
  }

  /** Works off every recorded event not yet handled; resolves when this instance's lanes are all done. */
  function processPending(): Promise<void> {
    if (stopping) return idle;
    asked += 1;
    // A new event need not wait for the lanes' slow turns: a lane of its own while there is room.
    if (lanes < lanesAtMost) openLane();
    return idle;
  }

  /**
   * Events held by another (perhaps dead) instance's lease, or waiting to be tried again, are looked at the moment
   * they can be claimed, not at the next round: a person whose event a killed process held waits one lease.
   */
  async function wakeWhenClaimable(): Promise<void> {
    const at = await journal.nextClaimableAt(channel);
    if (wakeUp) clearTimeout(wakeUp);
    wakeUp = undefined;
    if (!at || stopping) return;
    wakeUp = setTimeout(
      () => {
        wakeUp = undefined;
        processPending().catch(onError);
      },
      Math.max(0, at.getTime() - Date.now()) + 20,
    );
    wakeUp.unref();
  }

  return {
    processPending,
    /** A graceful stop: finishes the events under way, hands back those claimed but not begun, claims no more. */
    async stop(): Promise<void> {
      stopping = true;
      if (wakeUp) clearTimeout(wakeUp);
      await idle;
      await looking;
      if (wakeUp) clearTimeout(wakeUp);
    },
  };
}

export type InboundEventLanes = ReturnType<typeof createInboundEventLanes>;
