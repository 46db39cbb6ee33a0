import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxFailedLogins } from '../../intake/accounts/account-store.js';
import { alertText } from '../support/alert-text.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn, recordQueries } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('signing in tells nobody which usernames exist, on %s', (kind) => {
  let harness: ConsoleHarness;
  let close: () => Promise<void>;
  let client = 0;
  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn(kind, { REPORTLINE_TRUST_PROXY: 'true' }));
    expect(harness.services.config.database.kind).toBe(kind);
  });
  afterAll(async () => close?.());

  /**
   * One sign-in from a new browser: the sign-in page, then the form posted
   * urlencoded exactly as given (so a raw %00 goes through as typed).
   */
  async function attempt(fields: string) {
    client += 1;
    const headers = { 'x-forwarded-for': `10.1.${Math.floor(client / 250)}.${client % 250}`, 'accept-language': 'en' };
    const page = await harness.app.request('/staff/login', { headers });
    const cookie = page.headers
      .getSetCookie()
      .map((value) => value.split(';')[0])
      .join('; ');
    const token = /name="token" value="([^"]+)"/.exec(await page.text())![1]!;
    const response = await harness.app.request('/staff/login', {
      method: 'POST',
      headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token)}&${fields}`,
    });
    const html = await response.text();
    return {
      status: response.status,
      html,
      /** The page with what differs by nature (this browser's form token, the name typed) taken out. */
      page: html
        .replace(/name="token" value="[^"]+"/, 'name="token" value="…"')
        .replace(/id="username" name="username" value="[^"]*"/, 'id="username" name="username" value="…"'),
      /** Which cookies were set, and how, without their random values. */
      cookies: response.headers.getSetCookie().map((value) => value.replace(/=[^;]*/, '=…')),
    };
  }
  const signIn = (username: string, password: string) =>
    attempt(`username=${encodeURIComponent(username)}&password=${encodeURIComponent(password)}`);

  it('answers an existing and an unknown name alike at every try, and still locks the account after five wrong passwords', async () => {
    const { username, password } = await harness.account('hotline');
    const unknown = `nobody-${kind}`;
    const statuses: number[] = [];
    for (let i = 1; i <= maxFailedLogins + 2; i += 1) {
      const existing = await signIn(username, `wrong ${i}`);
      const missing = await signIn(unknown, `wrong ${i}`);
      expect(missing.status, `try ${i}`).toBe(existing.status);
      expect(missing.page, `try ${i}`).toBe(existing.page);
      expect(missing.cookies, `try ${i}`).toEqual(existing.cookies);
      statuses.push(existing.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429]);
    // The real account is locked: its own password does not open it now.
    const right = await signIn(username, password);
    expect(right.status).toBe(429);
    const staff = harness.services.i18n.getFixedT('en', 'staff');
    expect(alertText(right.html)).toBe(staff('login.locked'));
    expect(staff('login.locked')).not.toBe(staff('login.invalid'));
    expect(right.cookies.some((value) => value.startsWith('rl_staff='))).toBe(false);
    // Other names are not affected.
    const other = await harness.account('hotline');
    expect((await signIn(other.username, other.password)).status).toBe(303);
  });

  it('counts the wrong sign-ins of an existing and an unknown name with the very same statements', async () => {
    const { username } = await harness.account('hotline');
    const recorder = recordQueries(harness.services.db);
    const shapes = async (name: string) => {
      recorder.take();
      await signIn(name, 'not the password');
      return recorder.take().map((query) => query.sql);
    };
    const existing = await shapes(username);
    const missing = await shapes(`absent-${kind}`);
    expect(missing).toEqual(existing);
    expect(existing.some((text) => /sign_in_attempts/.test(text))).toBe(true);
  });

  it('treats control characters in a name or a password as a wrong sign-in, never passing them to the database', async () => {
    const { username, password } = await harness.account('agency', 'th-rtp');
    const unknown = await signIn(`missing-${kind}`, 'whatever it is');
    expect(unknown.status).toBe(401);
    const recorder = recordQueries(harness.services.db);
    recorder.take();
    for (const fields of [
      'username=adm%00in&password=whatever%20it%20is',
      `username=${encodeURIComponent(username)}%00&password=${encodeURIComponent(password)}`,
      `username=${encodeURIComponent(username)}&password=${encodeURIComponent(password)}%00`,
      `username=adm%07in&password=whatever%20it%20is`,
      `username=adm%C2%85in&password=whatever%20it%20is`,
      `username=adm%7Fin&password=whatever%20it%20is`,
    ]) {
      const answer = await attempt(fields);
      expect(answer.status, fields).toBe(401);
      expect(answer.page, fields).toBe(unknown.page);
      expect(answer.cookies, fields).toEqual(unknown.cookies);
    }
    const parameters = recorder.take().flatMap((query) => query.parameters.map(String));
    expect(parameters.some((value) => /\p{Cc}/u.test(value))).toBe(false);
    // One wrong password (the one ending in NUL) is below the lock: the account still opens.
    expect((await signIn(username, password)).status).toBe(303);
  });
});
