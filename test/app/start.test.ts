import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completeReport } from '../support/fixtures.js';
import { freePort, runEntryPoint } from '../support/spawn-process.js';

/**
 * Each test is its own `npm start` (and the first one a CLI run too), most of whose seconds go to starting tsx: they
 * run at the same time, each on its own data folder, so no start sees a file another one made.
 */
describe.concurrent('npm start on a fresh machine', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-start-'));
  const dataDir = join(folder, 'data');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('creates its data folder, serves, accepts a report and gives it back to an admin', async () => {
    const port = await freePort();
    const env = { REPORTLINE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
    const server = runEntryPoint('app/server.ts', [], env);
    try {
      await server.waitForOutput(new RegExp(`serving on http://127\\.0\\.0\\.1:${port}/`));
      expect(server.output()).toMatch(/REPORTLINE_DATA_KEY is not set/);
      expect(existsSync(join(dataDir, 'reportline.db'))).toBe(true);
      expect(statSync(join(dataDir, 'development-data-key')).mode & 0o077).toBe(0);

      const base = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', database: 'reachable' });
      const submitted = await fetch(`${base}/api/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(completeReport()),
      });
      expect(submitted.status).toBe(201);
      const { reference } = (await submitted.json()) as { reference: string };

      const cli = runEntryPoint('app/cli.ts', ['token', 'create', '--role', 'admin', '--label', 'start test'], env);
      expect(await cli.exited).toBe(0);
      const token = cli.output().match(/^(rl_\S+)$/m)?.[1];
      expect(token).toBeDefined();

      const read = await fetch(`${base}/api/v1/reports/${reference}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
      const body = (await read.json()) as { report: { victim: { nameOrAlias: string }; reference: string } };
      expect(body.report.reference).toBe(reference);
      expect(body.report.victim.nameOrAlias).toBe('김준호');
      // Personal data must never reach the log.
      expect(server.output()).not.toContain('김준호');
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ REPORTLINE_DATA_KEY: 'changeme' }, /REPORTLINE_DATA_KEY expected 32 random bytes/],
    [{ DATABASE_URL: 'mysql://localhost/db' }, /DATABASE_URL must be a PostgreSQL URL/],
    [
      { REPORTLINE_DIRECTORY_FILE: 'test/fixtures/no-such-directory.json' },
      /REPORTLINE_DIRECTORY_FILE[\s\S]*no-such-directory\.json: cannot be read \(ENOENT\)/,
    ],
  ])('refuses to start with %o and names the variable', async (bad, message) => {
    const refusedDataDir = join(folder, `refused-${Object.keys(bad).join('-')}`);
    const server = runEntryPoint('app/server.ts', [], {
      REPORTLINE_DATA_DIR: refusedDataDir,
      HOST: '127.0.0.1',
      ...bad,
    });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(message);
  });
});
