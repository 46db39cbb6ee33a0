import { systemClock, type Clock } from '../clock.js';
import { RetryBackoff, type RetryBackoffOptions } from '../retry-backoff.js';
import type { Channel } from '../report/report-schema.js';
import type { PlatformChatChannel, SendResult } from './chat-channel.js';
import type { ChatOutbox, ClaimedChatMessage } from './chat-outbox.js';
import { SendRateLimiter, type SendPacer } from './send-rate-limiter.js';

/** Tries of a message that come quickly one after another (at most `quickRetryCapMs` apart) before backing off. */
const quickRetries = 6;
const quickRetryCapMs = 4_000;

export interface ChatOutboxWorkerOptions extends RetryBackoffOptions {
  outbox: ChatOutbox;
  channels: readonly PlatformChatChannel[];
  /** After a send the platform took: the ids it gave the messages (Telegram keeps them for /hide). */
  onDelivered?: (channel: Channel, recipient: string, shownMessageIds: string[]) => Promise<void>;
  now?: Clock;
  /** Tries before a message is marked failed (and shown to staff as such). */
  maxAttempts?: number;
  /**
   * How long a claimed message stays ours without a renewal (renewed while it is sent); after a crash it is sent
   * once this passes. Short: a person waits on it.
   */
  leaseMs?: number;
  /** Chats served at once (each chat one message at a time). */
  concurrency?: number;
  /**
   * The pacer of a channel that declares a rate; by default this process paces alone. Several instances pass a
   * shared one (intake/chat/open-send-pacing.ts), since a platform's limit is the bot's, not an instance's.
   */
  pacerFor?: (channel: Channel, perSecond: number) => SendPacer;
  /** Failures that are not the platform's answer (a bug, the database); must not log personal data. */
  onError?: (error: unknown) => void;
}

/** Thrown by a channel for something it could not classify; retried like a server error. */
const unexpectedReason = 'chat.unexpected_error';
/** Tries that never recorded how they went (the sender died, or lost its lease, mid-send). */
const interruptedReason = 'chat.interrupted';
const exhaustedSuffix = '.retries_exhausted';

/**
 * Sends the chat outbox, per chat and strictly in order: only the head
 * message of a chat is ever claimed, so message n+1 waits until n is settled.
 * Built on the delivery dispatcher's pattern: a claim takes a lease (two
 * workers, or one restarted after a crash, never send one message at once),
 * a failure waits with exponential backoff and jitter (a 429 waits at least
 * the platform's retry_after), a 403 stops the chat and marks the
 * conversation stopped, and a permanent refusal is recorded as failed with
 * its reason code; nothing is dropped silently.
 *
 * A message is marked sent only after the platform took it: if the process
 * dies in between, it is sent again once its lease passes, told it was tried
 * before (LINE pushes carry a retry key, so LINE drops that repeat itself, and
 * a reply token found used by that earlier try is not followed by a push).
 */
export class ChatOutboxWorker {
  readonly #outbox: ChatOutbox;
  readonly #channels: Map<Channel, PlatformChatChannel>;
  /** One pacer per channel with a platform-wide limit, shared by every chat sent at once. */
  readonly #rates: Map<Channel, SendPacer>;
  readonly #onDelivered: NonNullable<ChatOutboxWorkerOptions['onDelivered']>;
  readonly #now: Clock;
  readonly #backoff: RetryBackoff;
  readonly #maxAttempts: number;
  readonly #leaseMs: number;
  readonly #concurrency: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = true;
  /** Set by stop(): the round in hand finishes, no new one is claimed (what is left waits in the outbox). */
  #stopping = false;
  #nudged = false;
  #pollIntervalMs = 2_000;

  constructor(options: ChatOutboxWorkerOptions) {
    this.#outbox = options.outbox;
    this.#channels = new Map(options.channels.map((channel) => [channel.channel, channel]));
    const pacerFor = options.pacerFor ?? ((_channel: Channel, perSecond: number) => new SendRateLimiter(perSecond));
    this.#rates = new Map(
      options.channels.flatMap((channel) =>
        channel.sendsPerSecond ? [[channel.channel, pacerFor(channel.channel, channel.sendsPerSecond)] as const] : [],
      ),
    );
    this.#onDelivered = options.onDelivered ?? (async () => {});
    this.#now = options.now ?? systemClock;
    this.#backoff = new RetryBackoff(options, { baseDelayMs: 2_000, maxDelayMs: 30 * 60_000 });
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#concurrency = options.concurrency ?? 4;
    this.#onError = options.onError ?? (() => {});
  }

  /**
   * Delay before try number `attempts + 1`: exponential, capped, with jitter so retries do not stampede; the first
   * tries at most `quickRetryCapMs` apart, because a person is waiting for this answer (after a brief outage or a
   * crash the next try comes within seconds, not after half a minute), the later ones ever longer.
   */
  retryDelayMs(attempts: number): number {
    const delay = this.#backoff.delayMs(attempts);
    return attempts <= quickRetries ? Math.min(delay, quickRetryCapMs) : delay;
  }

  /** Claims and sends every message due now, chat by chat in order; returns how many were attempted. */
  async runOnce(): Promise<number> {
    const channels = [...this.#channels.keys()];
    let attempted = 0;
    for (;;) {
      // The lease is ours until at least `leaseMs` after the claim was asked for (its lease counts from later).
      const claimedAt = this.#now().getTime();
      const claimed = await this.#outbox.claimDue(channels, this.#concurrency, this.#leaseMs);
      if (claimed.length === 0) return attempted;
      // The heartbeat: messages in hand keep their short lease however long the send (or the rate limit) takes.
      // `heldUntil` is how long each is surely ours: a message whose lease may have passed (this process stalled
      // longer than the lease, so its heartbeat did not run) is not sent, as another sender may hold it now.
      const inHand = new Map(claimed.map((message) => [message.id, message]));
      const heldUntil = new Map(claimed.map((message) => [message.id, claimedAt + this.#leaseMs]));
      const heartbeat = setInterval(
        () => {
          const renewedAt = this.#now().getTime();
          const asked = [...inHand.values()];
          this.#outbox
            .renewLeases(asked, this.#leaseMs)
            .then((renewed) => {
              const held = new Set(renewed);
              for (const message of asked) {
                const until = heldUntil.get(message.id);
                // Lost is for good (another claim took it): no entry is never held. A renewal answered late never
                // shortens a later one's.
                if (!held.has(message.id)) heldUntil.delete(message.id);
                else if (until !== undefined) heldUntil.set(message.id, Math.max(until, renewedAt + this.#leaseMs));
              }
            })
            .catch((error: unknown) => this.#onError(error));
        },
        Math.max(100, Math.floor(this.#leaseMs / 3)),
      );
      heartbeat.unref();
      try {
        await Promise.all(
          claimed.map(async (message) => {
            try {
              await this.#attempt(message, () => this.#now().getTime() < (heldUntil.get(message.id) ?? 0));
            } finally {
              inHand.delete(message.id);
            }
          }),
        );
      } finally {
        clearInterval(heartbeat);
      }
      attempted += claimed.length;
      if (this.#stopping) return attempted;
    }
  }

  /** One try of a claimed message; `stillHeld` says whether its lease is surely still ours. */
  async #attempt(message: ClaimedChatMessage, stillHeld: () => boolean): Promise<void> {
    const channel = this.#channels.get(message.channel);
    if (!channel) return;
    // Every try so far ended without its outcome recorded (its sender died each time): recorded as failed, for
    // staff to see, rather than tried forever.
    if (message.attempts >= this.#maxAttempts) {
      await this.#outbox.markFailed(message, `${interruptedReason}${exhaustedSuffix}`);
      return;
    }
    let result: SendResult;
    try {
      await this.#rates.get(message.channel)?.take();
      // Lost while it waited (a stall past the lease): another sender may be sending it now, and Telegram takes
      // no idempotency key, so sending it here as well would show it twice. The claim's try is counted; the
      // message is sent by whoever holds it, or claimed again once this lease has passed.
      if (!stillHeld()) return;
      result = await channel.send(message.recipient, message.message, {
        queuedAt: message.queuedAt,
        now: this.#now(),
        outboxId: message.id,
        earlierTries: message.attempts,
      });
    } catch (error) {
      this.#onError(error);
      result = { status: 'retry', reason: unexpectedReason };
    }
    switch (result.status) {
      case 'delivered':
        await this.#outbox.markSent(message);
        if (result.shownMessageIds && result.shownMessageIds.length > 0) {
          try {
            await this.#onDelivered(message.channel, message.recipient, result.shownMessageIds);
          } catch (error) {
            // The message arrived; only /hide will miss it.
            this.#onError(error);
          }
        }
        return;
      case 'retry': {
        const attempts = message.attempts + 1;
        if (attempts >= this.#maxAttempts) {
          await this.#outbox.markFailed(message, `${result.reason}${exhaustedSuffix}`);
          return;
        }
        const wait = Math.max(this.retryDelayMs(attempts), result.retryAfterMs ?? 0);
        await this.#outbox.markRetry(message, result.reason, new Date(this.#now().getTime() + wait));
        return;
      }
      case 'blocked':
        await this.#outbox.stopChat(message, result.reason);
        return;
      case 'rejected':
        await this.#outbox.markFailed(message, result.reason);
        return;
    }
  }

  /** Polls the outbox until stop(); `nudge()` makes it look at once (after a turn or a staff message commits). */
  start(pollIntervalMs = 2_000): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#stopping = false;
    this.#pollIntervalMs = pollIntervalMs;
    this.#tick();
  }

  nudge(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#nudged = true;
      return;
    }
    this.#tick();
  }

  /** Resolves once no run is under way or asked for: what was due when it was called has been tried. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #tick(): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    this.#nudged = false;
    const run = this.runOnce().catch((error: unknown) => {
      this.#onError(error);
      return 0;
    });
    this.#running = run;
    void run.finally(() => {
      if (this.#stopped) {
        this.#running = undefined;
        return;
      }
      if (this.#nudged) {
        // Asked again while running: go on at once, and keep idle() waiting for it.
        this.#tick();
        return;
      }
      this.#running = undefined;
      this.#timer = setTimeout(() => this.#tick(), this.#pollIntervalMs);
      this.#timer.unref?.();
    });
  }

  /** Stops polling and waits for the round of sends under way to be recorded; it claims no further round. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.idle();
  }
}
