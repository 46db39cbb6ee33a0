import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSendSlots } from '../../intake/chat/postgres-send-slots.js';
import { RedisSendSlots } from '../../intake/chat/redis-send-slots.js';
import { SendRateLimiter, type SendPacer } from '../../intake/chat/send-rate-limiter.js';
import { SharedSendPacer, type SendSlots } from '../../intake/chat/shared-send-pacer.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { createTestDatabase } from '../support/test-databases.js';

const postgresUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const perSecond = 5;
const sendsPerInstance = 8;

/** Three instances' stores over one shared state (each its own connections), opened by a kind's own means. */
interface SlotsOfThree {
  slots: SendSlots[];
  close(): Promise<void>;
}

const kinds: Array<{ kind: string; open: () => Promise<SlotsOfThree> }> = [
  ...(postgresUrl
    ? [
        {
          kind: 'postgres',
          open: async (): Promise<SlotsOfThree> => {
            const database = await createTestDatabase('postgres');
            // Two more pools on the same schema: the other instances' connections.
            const others: Array<Kysely<Database>> = [openDatabase(database.location), openDatabase(database.location)];
            return {
              slots: [database.db, ...others].map((db) => new PostgresSendSlots(db)),
              close: async () => {
                for (const other of others) await other.destroy();
                await database.dispose();
              },
            };
          },
        },
      ]
    : []),
  {
    kind: 'redis',
    open: async (): Promise<SlotsOfThree> => {
      const failures: unknown[] = [];
      const keyPrefix = `reportline-test:${randomBytes(6).toString('hex')}:`;
      const slots = [1, 2, 3].map(
        () => new RedisSendSlots({ url: redisUrl, keyPrefix, onError: (error) => failures.push(error) }),
      );
      return {
        slots,
        close: async () => {
          for (const each of slots) await each.close();
          expect(failures).toEqual([]);
        },
      };
    },
  },
];

/**
 * Every pacer's callers ask at once, as a burst of chats does; the time each send was let go is recorded
 * (one process, one clock for all three "instances").
 */
async function burst(pacers: SendPacer[]): Promise<number[]> {
  const sentAt: number[] = [];
  await Promise.all(
    pacers.flatMap((pacer) =>
      Array.from({ length: sendsPerInstance }, async () => {
        await pacer.take();
        sentAt.push(performance.now());
      }),
    ),
  );
  return sentAt.sort((a, b) => a - b);
}

/** The most sends let go within any one second. */
function busiestSecond(sentAt: number[]): number {
  let most = 0;
  for (const [index, start] of sentAt.entries()) {
    const within = sentAt.slice(index).filter((at) => at - start < 1_000).length;
    most = Math.max(most, within);
  }
  return most;
}

describe('send pacing across instances', () => {
  it('is not shared when each instance paces alone: three pacers send three times the limit in one second', async () => {
    const sentAt = await burst([1, 2, 3].map(() => new SendRateLimiter(perSecond)));
    expect(sentAt).toHaveLength(3 * sendsPerInstance);
    expect(busiestSecond(sentAt)).toBe(3 * perSecond);
  });

  describe.each(kinds)('on $kind', ({ kind, open }) => {
    let three: SlotsOfThree;
    const failures: unknown[] = [];
    beforeAll(async () => {
      three = await open();
    });
    afterAll(async () => {
      await three.close();
    });

    it('lets three instances together send at most the limit in any one second, and every send goes', async () => {
      const channel = `telegram-${randomBytes(4).toString('hex')}`;
      const pacers = three.slots.map(
        (slots) => new SharedSendPacer({ slots, channel, perSecond, onError: (error) => failures.push(error) }),
      );
      const sentAt = await burst(pacers);
      expect(sentAt).toHaveLength(3 * sendsPerInstance);
      expect(busiestSecond(sentAt)).toBeLessThanOrEqual(perSecond);
      expect(failures).toEqual([]);
    });

    it(`keeps channels apart on ${kind}: one channel's sends leave another's allowance whole`, async () => {
      const suffix = randomBytes(4).toString('hex');
      const pace = (channel: string) =>
        new SharedSendPacer({ slots: three.slots[0]!, channel, perSecond, onError: (error) => failures.push(error) });
      const telegram = pace(`telegram-${suffix}`);
      const line = pace(`line-${suffix}`);
      const sent: Record<string, number[]> = { telegram: [], line: [] };
      await Promise.all(
        Object.entries({ telegram, line }).flatMap(([name, pacer]) =>
          Array.from({ length: sendsPerInstance }, async () => {
            await pacer.take();
            sent[name]!.push(performance.now());
          }),
        ),
      );
      expect(busiestSecond(sent.telegram!.sort((a, b) => a - b))).toBeLessThanOrEqual(perSecond);
      expect(busiestSecond(sent.line!.sort((a, b) => a - b))).toBeLessThanOrEqual(perSecond);
      // Together they went faster than one channel may: each was counted against its own allowance.
      expect(busiestSecond([...sent.telegram!, ...sent.line!].sort((a, b) => a - b))).toBeGreaterThan(perSecond);
      expect(failures).toEqual([]);
    });
  });

  it('paces alone, and says why, while the shared store cannot be asked', async () => {
    const failures: unknown[] = [];
    // Nothing listens on port 1: the connection is refused at once.
    const slots = new RedisSendSlots({ url: 'redis://127.0.0.1:1', onError: () => {} });
    try {
      const pacer = new SharedSendPacer({ slots, channel: 'telegram', perSecond, onError: (e) => failures.push(e) });
      const sentAt = await burst([pacer]);
      expect(sentAt).toHaveLength(sendsPerInstance);
      expect(busiestSecond(sentAt)).toBe(perSecond);
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.every((error) => (error as { code?: string }).code === 'chat.send_pacing_unavailable')).toBe(
        true,
      );
    } finally {
      await slots.close();
    }
  });
});
