import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { completeReport } from '../test/support/fixtures.js';
import { freePort, runEntryPoint, type RunningProcess } from '../test/support/spawn-process.js';
import type { BenchLine } from './bench-line.js';

const measureMs = 5_000;
const clients = Number(process.env.BENCH_CLIENTS ?? 8);

/** A round-robin reverse proxy (kept-alive connections to each instance), the same in front of one or three. */
async function startProxy(ports: number[]): Promise<{ url: string; close: () => Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const port = ports[next++ % ports.length]!;
    const forwarded = request(
      { host: '127.0.0.1', port, path: incoming.url, method: incoming.method, headers: incoming.headers, agent },
      (answer: IncomingMessage) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
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

/** Report submits per second through the proxy, with `count` app/server.ts processes on one fresh schema. */
async function submitsPerSecond(url: string, count: number): Promise<number> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const folder = mkdtempSync(join(tmpdir(), 'reportline-instances-bench-'));
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const instances: RunningProcess[] = [];
  try {
    const ports: number[] = [];
    const dataKey = randomBytes(32).toString('base64');
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
          REPORTLINE_PUBLIC_WRITES_PER_HOUR: '100000',
        }),
      );
    }
    await Promise.all(instances.map((instance) => instance.waitForOutput(/Reportline is serving/, 120_000)));
    const proxy = await startProxy(ports);
    try {
      // The load comes from another thread, as it would from other machines.
      const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), {
        workerData: {
          url: `${proxy.url}/api/v1/reports`,
          body: JSON.stringify(completeReport()),
          clients,
          durationMs: measureMs,
        },
      });
      const { count: accepted, elapsedMs } = await new Promise<{ count: number; elapsedMs: number }>(
        (resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        },
      );
      await worker.terminate();
      return accepted / (elapsedMs / 1000);
    } finally {
      await proxy.close();
    }
  } finally {
    for (const instance of instances) instance.child.kill('SIGTERM');
    await Promise.all(instances.map((instance) => instance.exited));
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Several instances on one PostgreSQL: report submits per second through a round-robin proxy with one instance
 * and with three, in the same run. On a 2-core machine the three share the cores, so the ratio shows what
 * coordinating costs rather than what scaling out gains. Needs DATABASE_URL (PostgreSQL).
 */
export async function benchInstances(): Promise<BenchLine[]> {
  const url = process.env.DATABASE_URL;
  if (!url)
    return [
      { name: 'several instances: DATABASE_URL not set, not measured', value: 0, unit: '', aim: 'n/a', met: true },
    ];
  const one = await submitsPerSecond(url, 1);
  const three = await submitsPerSecond(url, 3);
  const ratio = three / one;
  return [
    {
      name: `report submits, one instance on PostgreSQL (${clients} clients)`,
      value: one,
      unit: 'reports/s',
      aim: 'baseline',
      met: true,
    },
    {
      name: `report submits, three instances on PostgreSQL (${clients} clients)`,
      value: three,
      unit: 'reports/s',
      aim: 'see ratio',
      met: true,
    },
    { name: 'three instances / one instance', value: ratio, unit: 'ratio', aim: '≥ 0.8', met: ratio >= 0.8 },
  ];
}

// Run alone: npx tsx bench/instances-bench.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchInstances())
    process.stdout.write(
      `  ${line.met ? 'ok  ' : 'MISS'} ${line.name}: ${line.value.toFixed(2)} ${line.unit} (aim: ${line.aim})\n`,
    );
}
