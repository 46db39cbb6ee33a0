import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import type { Database } from '../../intake/store/database.js';
import { InboundEventJournal, maxEventAttempts } from '../../intake/store/inbound-event-journal.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

const cipher = new FieldCipher(randomBytes(32));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One instance's worker: claims, handles (slowly, as a turn does), marks; until nothing is left to claim. */
async function workOff(journal: InboundEventJournal, name: string, handled: Array<{ by: string; key: string }>) {
  for (let idle = 0; idle < 3;) {
    const claimed = await journal.claim('line', 5);
    if (claimed.length === 0) {
      idle += 1;
      await pause(20);
      continue;
    }
    idle = 0;
    for (const event of claimed) {
      handled.push({ by: name, key: event.key });
      await pause(Math.random() * 4);
      await journal.markProcessed(event.id);
    }
  }
}

describe.each(testDatabaseKinds)('the LINE event journal worked off by several instances (%s)', (kind) => {
  let database: TestDatabase;
  const others: Array<Kysely<Database>> = [];
  /** A second (third) instance: its own connection pool on the same database. */
  const instance = (options: { leaseMs?: number; retryDelayMs?: number; now?: () => Date } = {}) => {
    const db = kind === 'postgres' ? openDatabase(database.location) : database.db;
    if (db !== database.db) others.push(db);
    return new InboundEventJournal({ db, cipher, ...options });
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    for (const db of others) await db.destroy();
    await database.dispose();
  });

  it('hands every event to exactly one of three workers, each person’s in the order received', async () => {
    const people = Array.from({ length: 12 }, (_, index) => `U${index}`);
    const journals = [instance(), instance(), instance()];
    // Each webhook call is taken by some instance; some are redelivered to another one.
    const sent: Array<{ key: string; person: string }> = [];
    for (let round = 0; round < 10; round += 1)
      for (const person of people) {
        const event = { key: `${person}-${round}`, person };
        sent.push(event);
        const events = [{ key: event.key, payload: { n: round }, subject: `user:${person}` }];
        await journals[sent.length % 3]!.record('line', events);
        if (sent.length % 7 === 0) await journals[(sent.length + 1) % 3]!.record('line', events);
      }
    const handled: Array<{ by: string; key: string }> = [];
    await Promise.all(journals.map((journal, index) => workOff(journal, `instance-${index}`, handled)));

    expect(handled.map((entry) => entry.key).sort()).toEqual(sent.map((event) => event.key).sort());
    for (const person of people) {
      const order = handled.filter((entry) => entry.key.startsWith(`${person}-`)).map((entry) => entry.key);
      expect(order).toEqual(sent.filter((event) => event.person === person).map((event) => event.key));
    }
    if (kind === 'postgres') expect(new Set(handled.map((entry) => entry.by)).size).toBeGreaterThan(1);
    expect(await journals[0]!.pending('line')).toEqual([]);
  });

  it('gives a person’s next event to nobody while their current one is held, and takes over a dead claim', async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const [first, second] = [instance({ leaseMs: 5_000, now }), instance({ leaseMs: 5_000, now })];
    await first.record('line', [
      { key: 'held-1', payload: {}, subject: 'user:held' },
      { key: 'held-2', payload: {}, subject: 'user:held' },
      { key: 'free-1', payload: {}, subject: 'user:free' },
    ]);
    expect((await first.claim('line', 10)).map((event) => event.key)).toEqual(['held-1', 'free-1']);
    // The first instance dies holding both: until the lease passes, nobody else gets them, nor held-2.
    expect(await second.claim('line', 10)).toEqual([]);
    clock += 5_001;
    const takenOver = await second.claim('line', 10);
    expect(takenOver.map((event) => event.key)).toEqual(['held-1', 'free-1']);
    for (const event of takenOver) await second.markProcessed(event.id);
    const [next] = await second.claim('line', 10);
    expect(next?.key).toBe('held-2');
    await second.markProcessed(next!.id);
  });

  it('keeps a failed event first in its person’s line until it is handled or given up on', async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const journal = instance({ retryDelayMs: 1_000, now });
    await journal.record('line', [
      { key: 'fails-1', payload: {}, subject: 'user:fails' },
      { key: 'fails-2', payload: {}, subject: 'user:fails' },
    ]);
    for (let attempt = 1; attempt <= maxEventAttempts; attempt += 1) {
      const [head, ...rest] = await journal.claim('line', 10);
      expect(head?.key).toBe('fails-1');
      expect(rest).toEqual([]);
      await journal.markFailed(head!.id, attempt, 'test.failure');
      // Not tried again at once: it waits, and so does the person's next event (until the last try is spent).
      if (attempt < maxEventAttempts) expect(await journal.claim('line', 10)).toEqual([]);
      clock += 1_000 * attempt + 1;
    }
    const [next, ...rest] = await journal.claim('line', 10);
    expect(next?.key).toBe('fails-2');
    expect(rest).toEqual([]);
    await journal.markProcessed(next!.id);
  });

  it('hands back what a stopping instance claimed, for another to take at once', async () => {
    const [stopping, staying] = [instance(), instance()];
    await stopping.record('line', [{ key: 'handed-back', payload: {}, subject: 'user:handed' }]);
    const claimed = await stopping.claim('line', 10);
    expect(await staying.claim('line', 10)).toEqual([]);
    await stopping.release(claimed.map((event) => event.id));
    expect((await staying.claim('line', 10)).map((event) => event.key)).toEqual(['handed-back']);
  });
});
