import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformChatChannel } from '../../intake/chat/chat-channel.js';
import { ChatOutboxWorker } from '../../intake/chat/chat-outbox-worker.js';
import type { ClaimedChatMessage } from '../../intake/chat/chat-outbox.js';
import { createLineHarness } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

type LineHarness = Awaited<ReturnType<typeof createLineHarness>>;

/** A LINE harness on a fresh SQLite file whose own worker sends nothing: the senders are the test's. */
function useHarnessWithoutItsWorker(opened: (harness: LineHarness) => void) {
  let database: TestDatabase | undefined;
  let harness: LineHarness | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createLineHarness(database);
    await harness.worker.stop();
    opened(harness);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });
}

/**
 * A sender that stalls longer than its lease (a loaded machine: its heartbeat did not run in time) loses the
 * message to another sender. Seen in a mixed-load run: the stalled sender recorded the message sent while the
 * other was still sending it, the chat's next message went out, and then the first arrived again: the person saw
 * "Hello", "Which language?", "Hello", and no button under the newest message.
 */
describe('a chat message whose sender lost its lease', () => {
  let harness: LineHarness;
  useHarnessWithoutItsWorker((opened) => (harness = opened));

  it('is settled by the sender that holds it now, and the chat’s next message waits for that', async () => {
    await harness.follow();
    const [stalled] = await harness.outbox.claimDue(['line'], 1, -1_000);
    expect(stalled).toBeDefined();
    // A staff message behind the turn's: the chat's next message.
    await harness.intake.db.transaction().execute(async (trx) => {
      await harness.outbox.enqueue(trx, {
        conversationId: stalled!.conversationId,
        channel: 'line',
        messages: harness.line.channel.renderText('next'),
      });
    });
    // The lease ran out while the first sender stalled: another sender claims the message and is sending it.
    const [current] = await harness.outbox.claimDue(['line'], 1, 60_000);
    expect(current?.id).toBe(stalled!.id);
    expect(current?.attempts).toBe(1);

    // The stalled sender wakes and records its send: nothing changes, and the next message is not yet due.
    await harness.outbox.markSent(stalled!);
    await harness.outbox.markRetry(stalled!, 'line.network_error', new Date());
    await harness.outbox.markFailed(stalled!, 'line.bad_request');
    const entries = await harness.outbox.entriesOf(stalled!.conversationId);
    expect(entries.find((entry) => entry.id === stalled!.id)).toMatchObject({ status: 'pending', lastError: null });
    expect(await harness.outbox.claimDue(['line'], 5, 60_000)).toEqual([]);

    // The sender that holds it records it: then the next message is the chat's head.
    await harness.outbox.markSent(current!);
    const after = await harness.outbox.entriesOf(stalled!.conversationId);
    expect(after.find((entry) => entry.id === stalled!.id)).toMatchObject({ status: 'sent', attempts: 2 });
    const next = await harness.outbox.claimDue(['line'], 5, 60_000);
    expect(next.map((message) => message.seq)).toEqual([stalled!.seq + 1]);
  });
});

/**
 * The same stall before the send (waiting its turn under the platform's rate, its heartbeat held up): seen in a
 * mixed-load run as a Telegram welcome shown twice, 2.6 s apart, half a minute before any instance was killed. The
 * Bot API takes no idempotency key, so a sender that sends a message another sender holds shows it twice.
 */
describe('a chat message whose lease passed before its sender sent it', () => {
  let harness: LineHarness;
  useHarnessWithoutItsWorker((opened) => (harness = opened));

  it('is not sent by the stalled sender, only by the one that holds it now', async () => {
    await harness.follow();
    const sends: string[] = [];
    const channel: PlatformChatChannel = {
      ...harness.line.channel,
      sendsPerSecond: 1_000,
      send: async (_recipient, _message, context) => {
        sends.push(context.outboxId);
        return { status: 'delivered' };
      },
    };
    let other: ClaimedChatMessage | undefined;
    const worker = new ChatOutboxWorker({
      outbox: harness.outbox,
      channels: [channel],
      leaseMs: 300,
      concurrency: 1,
      pacerFor: () => ({
        take: async () => {
          // This process stalls past its lease (no timer, so no heartbeat, runs), and another sender claims it.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
          [other] = await harness.outbox.claimDue(['line'], 1, 60_000);
        },
      }),
    });
    await worker.runOnce();
    expect(other).toBeDefined();
    expect(other!.attempts).toBe(1);
    // Sent by nobody yet: the other sender sends it once it is its turn.
    expect(sends).toEqual([]);
    const entries = await harness.outbox.entriesOf(other!.conversationId);
    expect(entries.find((entry) => entry.id === other!.id)).toMatchObject({ status: 'pending', attempts: 2 });
    // And the stalled sender's heartbeat no longer keeps the other's lease: it renews only its own claim.
    expect(await harness.outbox.renewLeases([{ id: other!.id, attempts: 0 }], 60_000)).toEqual([]);
    expect(await harness.outbox.renewLeases([other!], 60_000)).toEqual([other!.id]);
  });
});
