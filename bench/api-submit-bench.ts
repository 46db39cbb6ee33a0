import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { serve } from '@hono/node-server';
import sqlite3 from 'sqlite3';
import { loadConfig } from '../app/config.js';
import { createPortal } from '../app/create-portal.js';
import { silentLogger } from '../app/logger.js';
import { openServices } from '../app/open-services.js';
import { completeReport } from '../test/support/fixtures.js';
import type { BenchLine } from './bench-line.js';

const measureMs = 4_000;
const clients = Number(process.env.BENCH_CLIENTS ?? 8);

function run(db: sqlite3.Database, statement: string, parameters: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) =>
    db.run(statement, parameters, (error) => (error ? reject(error) : resolve())),
  );
}

/**
 * The floor under any durable intake: one INSERT per transaction into the
 * same SQLite file, with the same durability settings the store uses (WAL,
 * synchronous=FULL), each row about the size of an encrypted report.
 */
async function rawInsertsPerSecond(filename: string): Promise<number> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(filename, (error) => (error ? reject(error) : resolve(opened)));
  });
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'PRAGMA synchronous = FULL');
  await run(db, 'create table if not exists raw_inserts (id text primary key, body text not null)');
  const body = randomBytes(3_000).toString('base64');
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < measureMs) {
    await run(db, 'insert into raw_inserts (id, body) values (?, ?)', [randomBytes(16).toString('hex'), body]);
    count += 1;
  }
  const rate = count / ((performance.now() - started) / 1000);
  await new Promise<void>((resolve) => db.close(() => resolve()));
  return rate;
}

type Row = Record<string, unknown>;

function all(db: sqlite3.Database, statement: string, parameters: unknown[] = []): Promise<Row[]> {
  return new Promise((resolve, reject) =>
    db.all(statement, parameters, (error, rows) => (error ? reject(error) : resolve(rows as Row[]))),
  );
}

function insertStatement(table: string, row: Row): [string, unknown[]] {
  const columns = Object.keys(row);
  return [
    `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    Object.values(row),
  ];
}

/**
 * The same report written without the API: the rows the store wrote for one
 * complete report (report, indicator index, routing, audit event), inserted
 * again and again with fresh keys, one durable transaction each, straight
 * through the sqlite3 driver: no HTTP, no validation, no encryption, no
 * indicator extraction, no routing, no group commit.
 */
async function rawReportInsertsPerSecond(filename: string): Promise<number> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(filename, (error) => (error ? reject(error) : resolve(opened)));
  });
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'PRAGMA synchronous = FULL');
  await run(db, 'PRAGMA foreign_keys = ON');
  const [report] = await all(db, 'select * from reports limit 1');
  if (!report) throw new Error('no report to copy');
  const id = report.id as string;
  const children: Array<[string, Row[]]> = [];
  for (const table of ['report_indicators', 'report_routing', 'report_agencies', 'audit_events']) {
    const rows = await all(db, `select * from ${table} where report_id = ?`, [id]);
    children.push([
      table,
      rows.map(({ id: _id, seq: _seq, ...rest }) => (table === 'report_routing' ? { ...rest } : rest)),
    ]);
  }
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < measureMs) {
    const newId = randomBytes(16).toString('hex');
    await run(db, 'begin immediate');
    await run(db, ...insertStatement('reports', { ...report, id: newId, reference: `RAW-${newId}` }));
    for (const [table, rows] of children) {
      for (const row of rows) await run(db, ...insertStatement(table, { ...row, report_id: newId }));
    }
    await run(db, 'commit');
    count += 1;
  }
  const rate = count / ((performance.now() - started) / 1000);
  await new Promise<void>((resolve) => db.close(() => resolve()));
  return rate;
}

/**
 * Complete reports POSTed over HTTP by several clients at once to the portal
 * as `npm start` assembles it, on the SQLite file `reportline.db` in `folder`:
 * each report is routed and its deliveries planned in its own transaction
 * (the dispatcher is not started, so nothing is sent).
 */
async function apiSubmitsPerSecond(folder: string): Promise<number> {
  const services = await openServices(
    loadConfig({
      REPORTLINE_DATA_DIR: folder,
      REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
      // The load comes from one address: the bench measures the intake, not the per-client limit.
      REPORTLINE_PUBLIC_WRITES_PER_HOUR: '100000',
    }),
    silentLogger,
  );
  const app = createPortal(services, {
    ...silentLogger,
    failure: (_operation, error) => {
      throw error;
    },
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/reports`;
  // The load comes from another thread, as it would from other machines, so
  // the client's own work does not slow the server it measures.
  const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), {
    workerData: { url, body: JSON.stringify(completeReport()), clients, durationMs: measureMs },
  });
  const { count, elapsedMs } = await new Promise<{ count: number; elapsedMs: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const rate = count / (elapsedMs / 1000);
  await new Promise((resolve) => server.close(resolve));
  await services.close();
  return rate;
}

export async function benchApiSubmit(): Promise<BenchLine[]> {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-bench-'));
  try {
    const filename = join(folder, 'reportline.db');
    const api = await apiSubmitsPerSecond(folder);
    const rawReports = await rawReportInsertsPerSecond(filename);
    const rawRows = await rawInsertsPerSecond(filename);
    const ratio = api / rawReports;
    return [
      {
        name: 'raw durable inserts of the same report rows, one transaction each (SQLite, WAL, synchronous=FULL)',
        value: rawReports,
        unit: 'reports/s',
        aim: 'baseline',
        met: true,
      },
      {
        name: 'raw durable inserts of a single 4 KB row, one transaction each (for scale)',
        value: rawRows,
        unit: 'rows/s',
        aim: 'for information',
        met: true,
      },
      {
        name: `report submits through the HTTP API (${clients} clients)`,
        value: api,
        unit: 'reports/s',
        aim: 'see ratio',
        met: true,
      },
      {
        name: 'API submits / raw durable report inserts',
        value: ratio,
        unit: 'ratio',
        aim: '≥ 0.5',
        met: ratio >= 0.5,
      },
      {
        name: 'API submits / raw single-row inserts (for information)',
        value: api / rawRows,
        unit: 'ratio',
        aim: 'for information',
        met: true,
      },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
