import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { LeaderLock } from '../../intake/store/leader-lock.js';

const url = process.env.DATABASE_URL;

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

/** Instances that each record whether they lead; the test looks at how many do. */
function contenders(count: number, name: string, retryMs = 200) {
  return Array.from({ length: count }, () => {
    const state: { leads: number; losses: number; lock: LeaderLock } = {
      leads: 0,
      losses: 0,
      lock: undefined as never,
    };
    state.lock = new LeaderLock({
      url: url!,
      name,
      retryMs,
      onLead: () => (state.leads += 1),
      onLoss: () => (state.losses += 1),
    });
    return state;
  });
}

describe.skipIf(!url)('electing one instance with a PostgreSQL advisory lock', () => {
  const started: LeaderLock[] = [];
  afterEach(async () => {
    for (const lock of started.splice(0)) await lock.stop();
  });
  const leaders = <T extends { lock: LeaderLock }>(all: T[]) => all.filter((one) => one.lock.leading);

  it('lets exactly one of three lead, and another take over within a few tries when the leader stops', async () => {
    const all = contenders(3, `test-${randomBytes(4).toString('hex')}`);
    for (const one of all) {
      one.lock.start();
      started.push(one.lock);
    }
    await waitFor(() => leaders(all).length === 1);
    // Several tries later still one: the others keep trying and keep failing.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(leaders(all)).toHaveLength(1);
    const first = leaders(all)[0]!;
    await first.lock.stop();
    expect(first.losses).toBe(1);
    const takeoverMs = await waitFor(() => leaders(all).length === 1);
    expect(takeoverMs).toBeLessThan(1_000);
    expect(leaders(all)[0]).not.toBe(first);
  });

  it('stops leading the moment its connection is cut, and someone leads again', async () => {
    const name = `test-${randomBytes(4).toString('hex')}`;
    const all = contenders(2, name);
    for (const one of all) {
      one.lock.start();
      started.push(one.lock);
    }
    await waitFor(() => leaders(all).length === 1);
    const first = leaders(all)[0]!;
    // The database ends the leader's session (a failover, a network cut): the lock goes with it.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      `select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid()
         and objid = (hashtextextended($1 || ':' || current_database() || ':' || coalesce(current_schema(), ''), 0) & 4294967295)::oid`,
      [name],
    );
    await admin.end();
    await waitFor(() => first.losses === 1);
    await waitFor(() => leaders(all).length === 1);
    expect(all.reduce((sum, one) => sum + one.leads, 0)).toBe(2);
  });

  it('gives each schema of one database its own leader', async () => {
    const name = `test-${randomBytes(4).toString('hex')}`;
    const inSchema = (schema: string) =>
      new LeaderLock({
        url: `${url}${url!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        name,
        retryMs: 200,
        onLead: () => {},
        onLoss: () => {},
      });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const schemas = [`lock_${randomBytes(4).toString('hex')}`, `lock_${randomBytes(4).toString('hex')}`];
    for (const schema of schemas) await admin.query(`create schema ${schema}`);
    try {
      const locks = schemas.map(inSchema);
      for (const lock of locks) {
        lock.start();
        started.push(lock);
      }
      await waitFor(() => locks.every((lock) => lock.leading));
    } finally {
      for (const lock of started.splice(0)) await lock.stop();
      for (const schema of schemas) await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  });
});
