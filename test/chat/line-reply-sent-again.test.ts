import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineHarness } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';

/**
 * A LINE reply LINE took whose outcome we never recorded is sent again: the answer was lost on the way back, or
 * the sender died after LINE took it (a killed instance). A reply token is used once and a reply cannot carry
 * LINE's retry key, so the second try finds the token used: the person has the messages, and a push of them
 * would show them twice (what a mixed-load run saw after a kill: a turn's two messages, then the same two again).
 */
describe('a LINE reply sent again after LINE took it', () => {
  const databases: TestDatabase[] = [];
  /** A database of its own for each test: the harness numbers its events from one, as LINE would not twice. */
  const freshDatabase = async () => {
    const database = await createTestDatabase('sqlite');
    databases.push(database);
    return database;
  };
  /** What the first turn shows when nothing fails, and how (reply or push): the person must see exactly this. */
  let expected: string[];
  let expectedVia: string[];

  beforeAll(async () => {
    const reference = await createTestDatabase('sqlite');
    const harness = await createLineHarness(reference);
    await harness.follow();
    expected = harness.shown();
    expectedVia = harness.api.delivered.map((item) => item.via);
    await harness.close();
    await reference.dispose();
  });
  afterAll(async () => {
    for (const database of databases) await database.dispose();
  });

  it('shows the turn once when LINE took the reply but its answer never came back', async () => {
    const harness = await createLineHarness(await freshDatabase());
    try {
      harness.api.failNext('/v2/bot/message/reply', { dropAfterTaking: true });
      await harness.follow();
      await harness.flush();
      expect(harness.shown()).toEqual(expected);
      // Tried twice with its token (the second refused: used), and not pushed after that.
      expect(harness.api.callsTo('/v2/bot/message/reply')).toHaveLength(2);
      expect(harness.api.delivered.map((item) => item.via)).toEqual(expectedVia);
      expect(harness.errors).toEqual([]);
    } finally {
      await harness.close();
    }
  });

  it('shows the turn once when the sender died after LINE took the reply, and another sent it again', async () => {
    const harness = await createLineHarness(await freshDatabase());
    try {
      // This instance's sender does not send (it is the one that takes over below).
      await harness.worker.stop();
      await harness.follow();
      // Another instance's sender claims the turn's first request and LINE takes it; the sender dies there, before
      // recording it: its claim is left to run out (here: already run out).
      const [inFlight] = await harness.outbox.claimDue(['line'], 1, -1_000);
      expect(inFlight).toBeDefined();
      const sent = await harness.line.channel.send(inFlight!.recipient, inFlight!.message, {
        queuedAt: inFlight!.queuedAt,
        now: new Date(),
        outboxId: inFlight!.id,
        earlierTries: inFlight!.attempts,
      });
      expect(sent).toEqual({ status: 'delivered' });

      // This instance takes the message over once the lease passed, and sends the rest of the turn.
      await harness.flush();
      expect(harness.shown()).toEqual(expected);
      expect(harness.api.delivered.map((item) => item.via)).toEqual(expectedVia);
      const entries = await harness.outbox.entriesOf(inFlight!.conversationId);
      expect(entries.every((entry) => entry.status === 'sent')).toBe(true);
      // The request in flight at the death counts both its tries.
      expect(entries.find((entry) => entry.id === inFlight!.id)?.attempts).toBe(2);
      expect(harness.errors).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
