import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { InboundEventJournal } from '../../intake/store/inbound-event-journal.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

const cipher = new FieldCipher(randomBytes(32));

/**
 * A crashed instance holds a person's event only for one short lease; a live one keeps it by renewing it while it
 * works, and the next instance knows when to look again.
 */
describe.each(testDatabaseKinds)('the LINE event journal lease (%s)', (kind) => {
  let database: TestDatabase;
  let clock = Date.parse('2026-12-01T10:00:00.000Z');
  const now = () => new Date(clock);
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => database?.dispose());

  it('is 10 s by default, renewed by the handler, and its end is when the event can be claimed again', async () => {
    const live = new InboundEventJournal({ db: database.db, cipher, now });
    const other = new InboundEventJournal({ db: database.db, cipher, now });
    expect(live.leaseMs).toBe(10_000);
    await live.record('line', [{ key: 'lease-1', payload: { n: 1 }, subject: 'user:lease' }]);
    const [event] = await live.claim('line');
    expect(event?.key).toBe('lease-1');
    expect(await other.nextClaimableAt('line')).toEqual(new Date(clock + 10_000));

    // Still being handled 8 s later: the heartbeat renews it, so 12 s after the claim nobody else takes it.
    clock += 8_000;
    await live.renew([event!.id]);
    clock += 4_000;
    expect(await other.claim('line')).toEqual([]);
    expect(await other.nextClaimableAt('line')).toEqual(new Date(clock - 4_000 + 10_000));

    // The handler died (no more renewals): one lease after its last heartbeat, the next instance takes it.
    clock += 6_001;
    expect(await other.nextClaimableAt('line')).toBeNull();
    expect((await other.claim('line')).map((claimed) => claimed.key)).toEqual(['lease-1']);
    // A renewal of an event already handled changes nothing.
    await other.markProcessed(event!.id);
    await live.renew([event!.id]);
    expect(await other.nextClaimableAt('line')).toBeNull();
    expect(await other.claim('line')).toEqual([]);
  });
});
