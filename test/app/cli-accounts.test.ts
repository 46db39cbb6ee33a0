import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import { openServices, type Services } from '../../app/open-services.js';
import { listAuditEvents } from '../../intake/store/audit-log.js';
import { browserFor } from '../support/public-portal.js';
import { runEntryPoint } from '../support/spawn-process.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';

warnIfPostgresSkipped();

/**
 * Each CLI run starts tsx and opens the database: a few seconds each alone, but over half a minute each on a machine
 * busy with other suites, and a test is four or five of them one after another (a hang still fails it).
 */
const spawnTimeoutMs = 240_000;

// Each CLI run spends most of its seconds starting tsx, so a refusal that depends on no other run's answer runs
// beside the step before it, and the SQLite and the PostgreSQL deployments (each its own data folder, schema and
// portal) run beside each other: two chains of runs at once, which keeps both cores busy. The tests on one
// deployment stay one after another: four chains of runs at once took over 120 s per run on a machine busy with
// other suites.

/**
 * `npm run reportline -- token …` and `user …` as an operator runs them, in
 * their own process, against the data folder (or PostgreSQL schema) a portal
 * in this process serves: what the CLI changes, the portal obeys at once.
 */
describe.concurrent.each(testDatabaseKinds)('on %s', (kind) => {
  describe.sequential('revoking tokens and disabling accounts from the CLI', () => {
    const folder = mkdtempSync(join(tmpdir(), 'reportline-cli-'));
    const environment: Record<string, string> = {
      REPORTLINE_DATA_DIR: join(folder, 'data'),
      REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
    };
    const schema = `test_${randomBytes(6).toString('hex')}`;
    const postgresUrl = process.env.DATABASE_URL ?? '';
    let services: Services;
    let app: ReturnType<typeof createPortal>;

    async function cli(...args: string[]) {
      const run = runEntryPoint('app/cli.ts', args, environment);
      const code = await run.exited;
      return { code, output: run.output() };
    }

    beforeAll(async () => {
      if (kind === 'postgres') {
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`create schema ${schema}`);
        await admin.end();
        environment.DATABASE_URL = `${postgresUrl}${postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      }
      services = await openServices(loadConfig(environment), silentLogger);
      expect(services.config.database.kind).toBe(kind);
      app = createPortal(services, silentLogger);
    });
    afterAll(async () => {
      await services?.close();
      if (kind === 'postgres') {
        const cleanup = new pg.Client({ connectionString: postgresUrl });
        await cleanup.connect();
        await cleanup.query(`drop schema ${schema} cascade`);
        await cleanup.end();
      }
      rmSync(folder, { recursive: true, force: true });
    });

    it(
      'revokes a token at once, lists tokens without their secret, and writes the revocation to the audit log',
      async () => {
        const created = await cli('token', 'create', '--agency', 'th-rtp', '--label', 'nightly sync');
        expect(created.code, created.output).toBe(0);
        const id = /Created agency token ([0-9a-f-]{36})\./.exec(created.output)![1]!;
        const token = /^(rl_\S+)$/m.exec(created.output)![1]!;
        const pull = () => app.request('/api/v1/agency/cases', { headers: { authorization: `Bearer ${token}` } });
        expect((await pull()).status).toBe(200);

        const revoked = await cli('token', 'revoke', id);
        expect(revoked.code, revoked.output).toBe(0);
        expect(revoked.output).toContain(`Revoked token ${id}`);
        const refused = await pull();
        expect(refused.status).toBe(401);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

        const [listed, unknown] = await Promise.all([cli('token', 'list'), cli('token', 'revoke', randomUUID())]);
        expect(listed.code, listed.output).toBe(0);
        const row = listed.output.split('\n').find((line) => line.startsWith(id))!;
        expect(row).toMatch(
          new RegExp(
            `^${id}\\s+agency\\s+th-rtp\\s+nightly sync\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+\\d{4}-\\d\\d-\\d\\dT\\S+$`,
          ),
        );
        expect(listed.output).toMatch(/^ID\s+ROLE\s+AGENCY\s+LABEL\s+CREATED\s+REVOKED$/m);
        expect(listed.output).not.toContain(token);
        expect(listed.output).not.toContain('rl_');

        expect(unknown.code).toBe(1);
        expect(unknown.output).toContain('no token has the id');

        const events = (await listAuditEvents(services.db)).filter((event) => event.action === 'token.revoked');
        expect(events).toEqual([expect.objectContaining({ actor: 'cli', detail: { tokenId: id } })]);
      },
      spawnTimeoutMs,
    );

    it(
      'disables an account: its sessions end at once and its sign-in answers as a wrong password, until it is enabled again',
      async () => {
        const [created, nobody] = await Promise.all([
          cli('user', 'create', '--username', 'Dara', '--role', 'supervisor'),
          cli('user', 'disable', '--username', 'nobody-at-all'),
        ]);
        expect(created.code, created.output).toBe(0);
        const password = created.output.trim().split('\n').at(-1)!.trim();
        const signIn = async (username: string, secret: string) => {
          const browser = browserFor(app, 'en');
          const form = await browser.open('/staff/login');
          const result = await browser.submit(form, '/staff/login', { username, password: secret });
          const page = result.html.replace(/name="token" value="[^"]+"/, 'name="token" value="…"');
          return { browser, status: result.response.status, page, html: result.html };
        };
        const desk = await signIn('dara', password);
        const laptop = await signIn('dara', password);
        for (const session of [desk, laptop]) expect((await session.browser.open('/staff')).response.status).toBe(200);
        const wrongPassword = await signIn('dara', 'not the password at all');
        expect(wrongPassword.status).toBe(401);

        const disabled = await cli('user', 'disable', '--username', 'dara');
        expect(disabled.code, disabled.output).toBe(0);
        expect(disabled.output).toContain('2 session(s) ended');
        for (const session of [desk, laptop]) {
          const refused = await session.browser.open('/staff');
          expect(refused.response.status).toBe(303);
          expect(refused.response.headers.get('location')).toBe('/staff/login?next=%2Fstaff');
        }
        const whileDisabled = await signIn('dara', password);
        expect(whileDisabled.status).toBe(401);
        expect(whileDisabled.html).toContain('data-message="login.invalid"');
        expect(whileDisabled.page).toBe(wrongPassword.page);
        expect(whileDisabled.browser.cookies.has('rl_staff')).toBe(false);

        const listed = await cli('user', 'list');
        expect(listed.code, listed.output).toBe(0);
        expect(listed.output).toMatch(/^ID\s+USERNAME\s+ROLE\s+AGENCY\s+TOTP\s+CREATED\s+DISABLED$/m);
        expect(listed.output).toMatch(
          /^\S+\s+dara\s+supervisor\s+-\s+no\s+\d{4}-\d\d-\d\dT\S+\s+\d{4}-\d\d-\d\dT\S+$/m,
        );
        expect(listed.output).not.toContain(password);

        const enabled = await cli('user', 'enable', '--username', 'dara');
        expect(enabled.code, enabled.output).toBe(0);
        const back = await signIn('dara', password);
        expect(back.status).toBe(200);
        expect((await back.browser.open('/staff')).response.status).toBe(200);
        // The sessions ended by the disabling stay ended.
        expect((await desk.browser.open('/staff')).response.status).toBe(303);

        expect(nobody.code).toBe(1);
        expect(nobody.output).toContain('no account has the username');

        const dara = (await services.accounts.listUsers()).find((user) => user.username === 'dara')!;
        const changes = (await listAuditEvents(services.db)).filter(
          (event) => event.action === 'account.disabled' || event.action === 'account.enabled',
        );
        expect(changes).toEqual([
          expect.objectContaining({
            actor: 'cli',
            action: 'account.disabled',
            detail: { userId: dara.id, sessionsEnded: 2 },
          }),
          expect.objectContaining({ actor: 'cli', action: 'account.enabled', detail: { userId: dara.id } }),
        ]);
      },
      spawnTimeoutMs,
    );
  });
});
