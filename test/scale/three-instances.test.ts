import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLineApi } from '../support/fake-line-api.js';
import { completeReport } from '../support/fixtures.js';
import { lineSignature } from '../support/line-harness.js';
import { freePort, runEntryPoint, type RunningProcess } from '../support/spawn-process.js';

const url = process.env.DATABASE_URL;
const lineToken = 'scale-line-access-token-0123456789';
const lineSecret = '0123456789abcdef0123456789abcdef';
const telegramToken = '7000000017:AAscale-test-token-0123456789';

/**
 * Telegram's getUpdates as far as several pollers are concerned: a second getUpdates while one is held is refused
 * with 409 Conflict, as Telegram does. Which instance polls is not known to it, only how many poll at once.
 */
async function startPollingTelegram() {
  let inFlight = 0;
  let conflicts = 0;
  let polls = 0;
  const server: Server = createServer((request, response) => {
    const method = /\/bot[^/]+\/(\w+)/.exec(request.url ?? '')?.[1];
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    request.resume();
    if (method === 'getMe')
      return answer(200, {
        ok: true,
        result: { id: 7000000017, is_bot: true, first_name: 'Scale', username: 'scale_bot' },
      });
    if (method === 'deleteWebhook') return answer(200, { ok: true, result: true });
    if (method !== 'getUpdates') return answer(200, { ok: true, result: true });
    if (inFlight > 0) {
      conflicts += 1;
      return answer(409, {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      });
    }
    inFlight += 1;
    polls += 1;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
    };
    // A long poll with nothing to give: held a while, then an empty answer.
    const timer = setTimeout(() => {
      finish();
      answer(200, { ok: true, result: [] });
    }, 300);
    response.on('close', () => {
      clearTimeout(timer);
      finish();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get conflicts() {
      return conflicts;
    },
    get polls() {
      return polls;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A round-robin reverse proxy on 127.0.0.1, as a deployment puts in front of its instances: each request goes to
 * the next living instance; one that refuses the connection (killed) is skipped and the request tried on the next.
 */
async function startRoundRobinProxy(ports: () => number[]) {
  let next = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        for (let tries = 0; tries < 6; tries += 1) {
          const targets = ports();
          const port = targets[next++ % targets.length]!;
          try {
            const headers = Object.fromEntries(
              Object.entries(request.headers).filter(
                ([name]) => !['host', 'connection', 'content-length'].includes(name),
              ),
            ) as Record<string, string>;
            const answer = await fetch(`http://127.0.0.1:${port}${request.url}`, {
              method: request.method,
              headers: { ...headers, 'x-forwarded-for': headers['x-forwarded-for'] ?? '127.0.0.1' },
              ...(body.length > 0 ? { body } : {}),
            });
            response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
            response.end(Buffer.from(await answer.arrayBuffer()));
            return;
          } catch {
            // Refused or cut (an instance killed): the next one.
          }
        }
        response.writeHead(502);
        response.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition') {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!url)('three instances of app/server.ts on one PostgreSQL schema', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-scale-'));
  const schema = `scale_${randomBytes(6).toString('hex')}`;
  const schemaUrl = `${url}${(url ?? '').includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const admin = new pg.Client({ connectionString: url });
  const dataKey = randomBytes(32).toString('base64');
  let line: Awaited<ReturnType<typeof startFakeLineApi>>;
  let telegram: Awaited<ReturnType<typeof startPollingTelegram>>;
  const instances: Array<{ process: RunningProcess; port: number; alive: boolean }> = [];
  const writesPerHour = 4;
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;

  const start = async (index: number) => {
    const port = await freePort();
    const process = runEntryPoint('app/server.ts', [], {
      REPORTLINE_DATA_DIR: join(folder, `instance-${index}`),
      DATABASE_URL: schemaUrl,
      REPORTLINE_DATA_KEY: dataKey,
      PORT: String(port),
      HOST: '127.0.0.1',
      LINE_CHANNEL_ACCESS_TOKEN: lineToken,
      LINE_CHANNEL_SECRET: lineSecret,
      LINE_API_BASE_URL: line.baseUrl,
      LINE_DATA_API_BASE_URL: line.baseUrl,
      // Short enough for a test to see a dead instance's claims taken over.
      LINE_EVENT_LEASE_SECONDS: '3',
      TELEGRAM_BOT_TOKEN: telegramToken,
      TELEGRAM_MODE: 'polling',
      TELEGRAM_API_ROOT: telegram.apiRoot,
      POLLING_LEADER_RETRY_SECONDS: '0.5',
      // On SIGTERM /readyz answers 503 this long before the instance stops taking requests.
      REPORTLINE_STOP_DRAIN_SECONDS: '1',
      // Behind the proxy: limits count the client it names, the same in every instance.
      REPORTLINE_TRUST_PROXY: 'true',
      REPORTLINE_PUBLIC_WRITES_PER_HOUR: String(writesPerHour),
    });
    return { process, port, alive: true };
  };
  const readyz = async (port: number) => {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const db = () => admin;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    line = await startFakeLineApi(lineToken);
    telegram = await startPollingTelegram();
    proxy = await startRoundRobinProxy(() =>
      instances.filter((instance) => instance.alive).map((instance) => instance.port),
    );
  }, 60_000);
  afterAll(async () => {
    for (const instance of instances) if (instance.alive) instance.process.child.kill('SIGKILL');
    await Promise.all(instances.map((instance) => instance.process.exited));
    await line?.close();
    await telegram?.close();
    await proxy?.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('started at the same moment on a fresh schema, migrate it once between them and all become ready', async () => {
    instances.push(...(await Promise.all([0, 1, 2].map(start))));
    await Promise.all(instances.map((instance) => instance.process.waitForOutput(/Reportline is serving/, 90_000)));
    const migrated = instances.filter((instance) => /database migrated/.test(instance.process.output()));
    expect(migrated).toHaveLength(1);
    const { rows } = await db().query<{ name: string; n: string }>(
      `select name, count(*) as n from ${schema}.kysely_migration group by name`,
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
    for (const instance of instances)
      expect(await readyz(instance.port)).toEqual({ status: 200, body: { status: 'ready' } });
  }, 120_000);

  it('polls Telegram in one instance only, and another takes over within seconds when it is killed', async () => {
    const pollers = () =>
      instances.filter((instance) => instance.alive && /polling for updates/.test(instance.process.output()));
    await waitFor(() => pollers().length === 1, 20_000, 'one poller');
    await pause(1_500);
    expect(pollers()).toHaveLength(1);
    expect(telegram.conflicts).toBe(0);
    const leader = pollers()[0]!;
    leader.process.child.kill('SIGKILL');
    leader.alive = false;
    await leader.process.exited;
    const before = telegram.polls;
    const takeoverMs = await waitFor(() => pollers().length === 1, 20_000, 'a new poller');
    await waitFor(() => telegram.polls > before, 10_000, 'polling again');
    expect(takeoverMs).toBeLessThan(5_000);
    expect(telegram.conflicts).toBe(0);
    // The lost instance is replaced, as a supervisor would.
    const replacement = await start(3);
    instances.push(replacement);
    await replacement.process.waitForOutput(/Reportline is serving/, 60_000);
  }, 90_000);

  it('handles every LINE event once, each person’s in order, though sent to any instance, redelivered, and one killed', async () => {
    const people = Array.from({ length: 30 }, () => `U${randomBytes(16).toString('hex')}`);
    const perPerson = 5;
    let counter = 0;
    const eventFor = (userId: string, n: number) => {
      counter += 1;
      return {
        type: n === 0 ? 'follow' : 'message',
        ...(n === 0
          ? {}
          : { message: { id: `m${counter}`, quoteToken: `q${counter}`, type: 'text', text: `message ${n}` } }),
        webhookEventId: `01HSCALE${String(counter).padStart(18, '0')}`,
        deliveryContext: { isRedelivery: false },
        timestamp: Date.now(),
        source: { type: 'user', userId },
        replyToken: `reply-${counter}-${randomBytes(4).toString('hex')}`,
        mode: 'active',
      };
    };
    const alive = () => instances.filter((instance) => instance.alive);
    const post = async (events: unknown[]) => {
      const body = JSON.stringify({ destination: 'Ubot', events });
      const response = await fetch(`${proxy.url}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body, lineSecret) },
        body,
      });
      // LINE redelivers what was not answered 200; the proxy already tried the other instances.
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    };
    // Meanwhile people submit reports over the API, each client more often than the limit allows.
    const clients = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
    const submits = Promise.all(
      clients.map(async (client) => {
        const statuses: number[] = [];
        for (let i = 0; i < writesPerHour + 3; i += 1) {
          const response = await fetch(`${proxy.url}/api/v1/reports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
            body: JSON.stringify(completeReport()),
          });
          statuses.push(response.status);
          await pause(100);
        }
        return statuses;
      }),
    );

    const sent: Array<{ key: string; userId: string; n: number }> = [];
    const sendRound = async (n: number) => {
      await Promise.all(
        people.map(async (userId) => {
          const event = eventFor(userId, n);
          sent.push({ key: event.webhookEventId, userId, n });
          await post([event]);
          // Now and then LINE delivers an event again (to whichever instance).
          if (Math.random() < 0.15) await post([{ ...event, deliveryContext: { isRedelivery: true } }]);
        }),
      );
    };
    for (let n = 0; n < perPerson; n += 1) {
      await sendRound(n);
      if (n === 2) {
        // The API submits went on beside the first rounds. They finish before the kill: a submit cut by it would be
        // retried by the proxy and could be stored twice (the API has no idempotency key).
        await submits;
        // Mid-way one instance is killed, whatever it holds.
        const victim = alive()[0]!;
        victim.process.child.kill('SIGKILL');
        victim.alive = false;
        await victim.process.exited;
      }
    }

    await waitFor(
      async () => {
        const { rows } = await db().query(
          `select count(*) as n from ${schema}.inbound_events where processed_at is null`,
        );
        return Number(rows[0].n) === 0;
      },
      60_000,
      'every event handled',
    );
    const { rows: events } = await db().query<{
      id: string;
      event_key: string;
      processed_at: string | null;
      attempts: number;
    }>(`select id, event_key, processed_at, attempts from ${schema}.inbound_events order by id`);
    // Nothing lost, nothing recorded twice.
    expect(events.map((event) => event.event_key).sort()).toEqual(sent.map((event) => event.key).sort());
    expect(events.filter((event) => event.attempts !== 0)).toEqual([]);
    // Each person's events were handled in the order received.
    const processedAt = new Map(events.map((event) => [event.event_key, event.processed_at!]));
    for (const userId of people) {
      const times = sent.filter((event) => event.userId === userId).map((event) => processedAt.get(event.key)!);
      expect(times).toEqual([...times].sort());
    }
    // Each turn once: one handled update per event, and every answer sent, none stuck.
    const { rows: handled } = await db().query(
      `select count(*) as n from ${schema}.processed_updates where channel = 'line'`,
    );
    expect(Number(handled[0].n)).toBe(sent.length);
    await waitFor(
      async () => {
        const { rows } = await db().query(`select count(*) as n from ${schema}.chat_outbox where status <> 'sent'`);
        return Number(rows[0].n) === 0;
      },
      60_000,
      'every answer sent',
    );
    // The limit held across instances: each client got exactly its share, whichever instance it reached; each
    // accepted report is stored once.
    const statuses = await submits;
    for (const each of statuses) {
      expect(each.filter((status) => status === 201)).toHaveLength(writesPerHour);
      expect(each.filter((status) => status === 429)).toHaveLength(3);
    }
    const { rows: reports } = await db().query(`select count(*) as n from ${schema}.reports`);
    expect(Number(reports[0].n)).toBe(clients.length * writesPerHour);
    // Everyone was greeted at least (their follow answered), through the fake that enforces LINE's rules.
    expect(line.delivered.length).toBeGreaterThanOrEqual(people.length);
    expect(telegram.conflicts).toBe(0);
  }, 180_000);

  it('stops gracefully on SIGTERM under load: readyz 503 at once, work under way finished, exit 0', async () => {
    const [stopping] = instances.filter((instance) => instance.alive);
    const userId = `U${randomBytes(16).toString('hex')}`;
    const events = Array.from({ length: 20 }, (_, index) => ({
      type: 'message',
      message: { id: `g${index}`, quoteToken: `gq${index}`, type: 'text', text: `stop ${index}` },
      webhookEventId: `01HSTOP${String(index).padStart(19, '0')}${randomBytes(2).toString('hex')}`,
      deliveryContext: { isRedelivery: false },
      timestamp: Date.now(),
      source: { type: 'user', userId },
      replyToken: `stop-${index}-${randomBytes(4).toString('hex')}`,
      mode: 'active',
    }));
    const body = JSON.stringify({ destination: 'Ubot', events });
    const response = await fetch(`http://127.0.0.1:${stopping!.port}/webhooks/line`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body, lineSecret) },
      body,
    });
    expect(response.status).toBe(200);
    stopping!.process.child.kill('SIGTERM');
    // Taken out of rotation first: readiness fails while the instance still answers.
    await waitFor(async () => (await readyz(stopping!.port)).status === 503, 5_000, 'readyz 503');
    expect(await readyz(stopping!.port)).toEqual({ status: 503, body: { status: 'unavailable', reason: 'stopping' } });
    expect((await fetch(`http://127.0.0.1:${stopping!.port}/healthz`)).status).toBe(200);
    const exitCode = await stopping!.process.exited;
    stopping!.alive = false;
    expect(exitCode).toBe(0);
    expect(stopping!.process.output()).toMatch(/stopped/);
    // What it had not begun went to the others at once (released), not after a lease: all handled, in order.
    await waitFor(
      async () => {
        const { rows } = await db().query(
          `select count(*) as n from ${schema}.inbound_events where processed_at is null`,
        );
        return Number(rows[0].n) === 0;
      },
      20_000,
      'the stopped instance’s events handled',
    );
    const { rows } = await db().query<{ event_key: string; processed_at: string }>(
      `select event_key, processed_at from ${schema}.inbound_events where event_key like '01HSTOP%' order by id`,
    );
    expect(rows).toHaveLength(20);
    const times = rows.map((row) => row.processed_at);
    expect(times).toEqual([...times].sort());
  }, 90_000);
});
