import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { telegramShown, telegramUpdate } from '../test/chat/chat-platforms.js';
import { personas, personDriver, type PersonAction } from '../test/chat/chat-script.js';
import { startFakeTelegramApi } from '../test/support/fake-telegram-api.js';
import { completeReport } from '../test/support/fixtures.js';
import { freePort, runEntryPoint, type RunningProcess } from '../test/support/spawn-process.js';
import type { BenchLine } from './bench-line.js';

/** Submit windows per deployment, taken in turn with the other's (one, three, three, one, …). */
const windows = Number(process.env.BENCH_INSTANCE_WINDOWS ?? 4);
const windowMs = 4_000;
/**
 * Submits each instance serves before anything is measured, so each process has compiled its hot paths. V8 was
 * still optimising functions of the submit path (submitReport, the batched insert) for the first time between a
 * process's 1,000th and 2,000th submit, and its CPU per report kept falling until then: with 150, the one
 * instance was measured over its ~150th–2,500th submits and each of the three over their ~150th–950th, less
 * compiled, so the ratio counted warm-up as coordination.
 */
const warmUpPerInstance = Number(process.env.BENCH_INSTANCE_WARM_UP ?? 2_000);
const clients = Number(process.env.BENCH_CLIENTS ?? 8);
/** Each client its own loopback address: people, not one machine, send the reports. */
const clientAddresses = Array.from({ length: clients }, (_, index) => `127.0.0.${10 + index}`);
/** People whose Telegram conversations run at once while reply latency is measured. */
const conversations = Number(process.env.BENCH_INSTANCE_CONVERSATIONS ?? 40);
const telegramToken = '7000000037:AAinstances-bench-token-0123456789';
const webhookSecret = 'instances-bench-secret-0123456789';

/** The value below which `share` of the sorted values lie. */
function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

/** How many messages the fake Bot API took per chat, counted as they come (only the new ones scanned). */
function deliveryCounter(api: Awaited<ReturnType<typeof startFakeTelegramApi>>) {
  const counts = new Map<number, number>();
  let scanned = 0;
  const count = (chatId: number) => {
    for (; scanned < api.delivered.length; scanned += 1) {
      const id = api.delivered[scanned]!.chatId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts.get(chatId) ?? 0;
  };
  return { count, reached: (chatId: number, total: number) => api.until(() => count(chatId) >= total) };
}

async function postUpdate(url: string, update: Record<string, unknown>): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
      body: JSON.stringify(update),
    });
    await response.arrayBuffer();
    if (response.status === 200) return;
    // As Telegram does: the update again, a little later.
    if (attempt > 20) throw new Error(`the webhook answered ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Reply latency of Telegram turns through the proxy: a calm conversation first (what each turn shows, a turn
 * over once nothing more came for half a second), then `conversations` people at once replaying it, each turn
 * timed from the webhook post until the fake Bot API has taken the turn's last message.
 */
async function replyLatencies(
  webhook: string,
  api: Awaited<ReturnType<typeof startFakeTelegramApi>>,
): Promise<number[]> {
  const counter = deliveryCounter(api);
  const persona = personas.find((candidate) => candidate.urgent)!;
  let updateId = 0;
  const calm = { chatId: 6_000_000, language: persona.language, name: persona.name };
  const driver = personDriver(persona);
  const actions: PersonAction[] = [];
  const seenAfter: number[] = [];
  for (;;) {
    const shown = telegramShown(api.delivered, calm.chatId);
    const action = driver.next(shown);
    if (!action) break;
    await postUpdate(webhook, telegramUpdate((updateId += 1), calm, action, shown));
    await counter.reached(calm.chatId, shown.length + 1);
    for (let last = -1; last !== counter.count(calm.chatId);) {
      last = counter.count(calm.chatId);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    actions.push(action);
    seenAfter.push(counter.count(calm.chatId));
  }
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: conversations }, async (_, index) => {
      const person = { chatId: 6_100_000 + index, language: persona.language, name: persona.name };
      for (const [turn, action] of actions.entries()) {
        const update = telegramUpdate((updateId += 1), person, action, telegramShown(api.delivered, person.chatId));
        const started = performance.now();
        await postUpdate(webhook, update);
        await counter.reached(person.chatId, seenAfter[turn]!);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

/**
 * A round-robin reverse proxy (kept-alive connections to each instance), the same in front of one or three.
 *
 * An instance closes a connection left idle for its keep-alive time (app/server.ts: 5 s, which Node's server
 * closes after about 6), and a request the proxy writes on it just then, before its loop has read the close (late
 * on a loaded machine, e.g. when a window starts a few seconds after the last), is cut unread: "socket hang up",
 * which had aborted a run with "submit failed with 502". Such a request, failed on a reused connection before any
 * answer came, is sent once more on a new connection, as a reverse proxy retries a kept-alive connection the
 * upstream closed. An instance that is down still answers 502: its new connection is refused.
 */
async function startProxy(ports: number[]): Promise<{ url: string; close: () => Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const port = ports[next++ % ports.length]!;
    // As a reverse proxy does: the client's address appended, so the instances' limits count clients, not the proxy.
    const forwardedFor = [incoming.headers['x-forwarded-for'], incoming.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const headers = { ...incoming.headers, 'x-forwarded-for': forwardedFor };
    // Kept whole (a submit or a webhook is small), so it can be sent again.
    const body: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => body.push(chunk));
    incoming.on('end', () => {
      const forward = (onNewConnection: boolean) => {
        const forwarded = request(
          {
            host: '127.0.0.1',
            port,
            path: incoming.url,
            method: incoming.method,
            headers,
            agent: onNewConnection ? false : agent,
          },
          (answer: IncomingMessage) => {
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(outgoing);
          },
        );
        forwarded.on('error', () => {
          if (!outgoing.headersSent && forwarded.reusedSocket && !onNewConnection) return forward(true);
          if (!outgoing.headersSent) outgoing.writeHead(502);
          outgoing.end();
        });
        forwarded.end(Buffer.concat(body));
      };
      forward(false);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Submits through `url` from the worker thread: the load comes from another thread, as from other machines. */
async function submitLoad(url: string, options: { durationMs: number; maxRequests?: number }) {
  const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), {
    workerData: {
      url: `${url}/api/v1/reports`,
      body: JSON.stringify(completeReport()),
      clients,
      localAddresses: clientAddresses,
      ...options,
    },
  });
  try {
    return await new Promise<{ count: number; elapsedMs: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

interface Deployment {
  /** The proxy in front of the instances. */
  url: string;
  /** The work a window's reports set off that is still due now: urgent clocks' looks and compound scans. */
  workDue(): Promise<number>;
  /** Each instance's own address, for the warm-up. */
  instanceUrls: string[];
  telegram: Awaited<ReturnType<typeof startFakeTelegramApi>>;
  close(): Promise<void>;
}

/** `count` app/server.ts processes on one fresh schema behind a round-robin proxy, with their own fake Bot API. */
async function startDeployment(url: string, count: number): Promise<Deployment> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const folder = mkdtempSync(join(tmpdir(), 'reportline-instances-bench-'));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const instances: RunningProcess[] = [];
  const telegram = await startFakeTelegramApi(telegramToken);
  const ports: number[] = [];
  const dataKey = randomBytes(32).toString('base64');
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  const close = async () => {
    await proxy?.close();
    for (const instance of instances) instance.child.kill('SIGTERM');
    await Promise.all(instances.map((instance) => instance.exited));
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
    await telegram.close();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < count; index += 1) {
      const port = await freePort();
      ports.push(port);
      instances.push(
        runEntryPoint('app/server.ts', [], {
          REPORTLINE_DATA_DIR: join(folder, `instance-${index}`),
          DATABASE_URL: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
          REPORTLINE_DATA_KEY: dataKey,
          PORT: String(port),
          HOST: '127.0.0.1',
          // Behind the proxy, as deployed: each client is counted by its own address, with the same limit
          // whether one instance or three count it.
          REPORTLINE_TRUST_PROXY: 'true',
          REPORTLINE_PUBLIC_WRITES_PER_HOUR: '100000',
          TELEGRAM_BOT_TOKEN: telegramToken,
          TELEGRAM_WEBHOOK_SECRET: webhookSecret,
          TELEGRAM_API_ROOT: telegram.apiRoot,
        }),
      );
    }
    await Promise.all(instances.map((instance) => instance.waitForOutput(/Reportline is serving/, 120_000)));
    proxy = await startProxy(ports);
    const workDue = async () => {
      const { rows } = await admin.query<{ due: string }>(
        `select (select count(*) from ${schema}.urgent_clocks where next_check_at <= $1)
              + (select count(*) from ${schema}.compound_scans_due) as due`,
        [new Date().toISOString()],
      );
      return Number(rows[0]!.due);
    };
    return {
      url: proxy.url,
      instanceUrls: ports.map((port) => `http://127.0.0.1:${port}`),
      workDue,
      telegram,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Waits until the deployment has no work due that its reports set off; returns how long that took. */
async function drained(deployment: Deployment): Promise<number> {
  const started = performance.now();
  const deadline = started + 120_000;
  while ((await deployment.workDue()) > 0) {
    if (performance.now() > deadline) throw new Error('the instances did not finish the work their reports set off');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - started;
}

/**
 * Report submits per second through each deployment's proxy and Telegram reply latencies. Both deployments run
 * at once and every instance is warmed with the same number of submits first: measured cold, three processes
 * would each still be compiling what one process had compiled after a third of the requests. The submit
 * windows then take turns (one, three, three, one, …), so the machine's other load, which changes by the
 * minute on a shared machine, weighs on both alike.
 */
async function measureBoth(url: string) {
  const one = await startDeployment(url, 1);
  try {
    const three = await startDeployment(url, 3);
    try {
      for (const instanceUrl of [...one.instanceUrls, ...three.instanceUrls])
        await submitLoad(instanceUrl, { durationMs: 120_000, maxRequests: warmUpPerInstance });
      // Both stores then hold as many reports: the bench sends one report again and again, so every report shares
      // its indicators with every report before it, and linking a new one costs more the more are stored. Warmed
      // per instance, the three's store held three times the one's, and its windows paid for that, not for
      // coordinating (0.64 with 2,000 reports against 6,000, where 150 against 450 gave 0.81).
      const moreForOne = warmUpPerInstance * (three.instanceUrls.length - one.instanceUrls.length);
      await submitLoad(one.url, { durationMs: 600_000, maxRequests: moreForOne });
      const totals = new Map<Deployment, { count: number; elapsedMs: number }>([
        [one, { count: 0, elapsedMs: 0 }],
        [three, { count: 0, elapsedMs: 0 }],
      ]);
      for (const deployment of [one, three]) await drained(deployment);
      for (let window = 0; window < windows; window += 1) {
        const order = window % 2 === 0 ? [one, three] : [three, one];
        for (const deployment of order) {
          const { count, elapsedMs } = await submitLoad(deployment.url, { durationMs: windowMs });
          // A window lasts until the work its reports set off is done too, so neither deployment's clock looks
          // and compound scans are left to run during the other's window (or counted by nobody).
          const drainMs = await drained(deployment);
          const total = totals.get(deployment)!;
          total.count += count;
          total.elapsedMs += elapsedMs + drainMs;
        }
      }
      const rate = (deployment: Deployment) => {
        const total = totals.get(deployment)!;
        return total.count / (total.elapsedMs / 1000);
      };
      // Then the chats, on the same instances (the reports just sent are stored: a database in use).
      const oneLatencies = await replyLatencies(`${one.url}/webhooks/telegram`, one.telegram);
      const threeLatencies = await replyLatencies(`${three.url}/webhooks/telegram`, three.telegram);
      return {
        one: { submitsPerSecond: rate(one), latencies: oneLatencies },
        three: { submitsPerSecond: rate(three), latencies: threeLatencies },
      };
    } finally {
      await three.close();
    }
  } finally {
    await one.close();
  }
}

/**
 * Several instances on one PostgreSQL: report submits per second through a round-robin proxy, and the reply
 * latency of Telegram turns (webhook in → the turn's last message at the fake Bot API, BENCH_INSTANCE_CONVERSATIONS
 * people at once, default 40), with one instance and with three, in the same run. On a 2-core machine the three
 * share the cores, so the ratios show what coordinating costs (claims, shared limits, the update journal) rather
 * than what scaling out gains. Both deployments are warmed alike and their submit windows alternate
 * (BENCH_INSTANCE_WINDOWS of 4 s each, default 4); the BENCH_CLIENTS clients (default 8) each send from their own
 * address, appended by the proxy as X-Forwarded-For. Needs DATABASE_URL (PostgreSQL).
 */
export async function benchInstances(): Promise<BenchLine[]> {
  const url = process.env.DATABASE_URL;
  if (!url)
    return [
      { name: 'several instances: DATABASE_URL not set, not measured', value: 0, unit: '', aim: 'n/a', met: true },
    ];
  const { one, three } = await measureBoth(url);
  const ratio = three.submitsPerSecond / one.submitsPerSecond;
  const p99 = { one: percentile(one.latencies, 0.99), three: percentile(three.latencies, 0.99) };
  const latencyRatio = p99.three / p99.one;
  const turns = `${conversations} Telegram conversations at once, webhook in → the turn's last message at the Bot API`;
  return [
    {
      name: `report submits, one instance on PostgreSQL (${clients} clients)`,
      value: one.submitsPerSecond,
      unit: 'reports/s',
      aim: 'baseline',
      met: true,
    },
    {
      name: `report submits, three instances on PostgreSQL (${clients} clients)`,
      value: three.submitsPerSecond,
      unit: 'reports/s',
      aim: 'see ratio',
      met: true,
    },
    {
      name: 'report submits, three instances / one instance',
      value: ratio,
      unit: 'ratio',
      aim: '≥ 0.8',
      met: ratio >= 0.8,
    },
    {
      name: `reply latency p50, one instance (${turns})`,
      value: percentile(one.latencies, 0.5),
      unit: 'ms',
      aim: 'baseline',
      met: true,
    },
    { name: 'reply latency p99, one instance', value: p99.one, unit: 'ms', aim: 'baseline', met: true },
    {
      name: 'reply latency p50, three instances',
      value: percentile(three.latencies, 0.5),
      unit: 'ms',
      aim: 'see ratio',
      met: true,
    },
    { name: 'reply latency p99, three instances', value: p99.three, unit: 'ms', aim: 'see ratio', met: true },
    {
      name: 'reply latency p99, three instances / one instance',
      value: latencyRatio,
      unit: 'ratio',
      aim: '≤ 2',
      met: latencyRatio <= 2,
    },
  ];
}

// Run alone: npx tsx bench/instances-bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchInstances())
    process.stdout.write(
      `  ${line.met ? 'ok  ' : 'MISS'} ${line.name}: ${line.value.toFixed(2)} ${line.unit} (aim: ${line.aim})\n`,
    );
}
