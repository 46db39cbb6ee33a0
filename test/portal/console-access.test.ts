import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../intake/accounts/totp.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { browserFor } from '../support/public-portal.js';

describe('signing in to the console, and who may reach what', () => {
  let harness: ConsoleHarness;
  beforeAll(async () => {
    harness = await openConsoleHarness();
  });
  afterAll(async () => harness?.close());

  async function tryLogin(username: string, password: string, code?: string) {
    const browser = browserFor(harness.app, 'en');
    const form = await browser.open('/staff/login');
    return {
      browser,
      result: await browser.submit(form, '/staff/login', { username, password, ...(code ? { code } : {}) }),
    };
  }

  it('sends anyone not signed in to the sign-in page, and back where they were after', async () => {
    const anonymous = await harness.app.request('/staff/cases/RL-0000-0000');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fcases%2FRL-0000-0000');
    for (const path of ['/staff', '/staff/audit', '/staff/search?q=x', '/agency', '/agency/cases/RL-0000-0000']) {
      expect((await harness.app.request(path)).status).toBe(303);
    }
    const posted = await harness.app.request('/staff/cases/RL-0000-0000/note', {
      method: 'POST',
      body: new URLSearchParams({ body: 'x' }),
    });
    expect(posted.headers.get('location')).toBe('/staff/login');
    const { username, password } = await harness.account('hotline');
    const browser = browserFor(harness.app, 'en');
    const form = await browser.open('/staff/login?next=%2Fstaff%3Fstatus%3Dall');
    const landed = await browser.post('/staff/login?next=%2Fstaff%3Fstatus%3Dall', {
      token: browser.token(form.html),
      username,
      password,
    });
    expect(landed.html).toContain('<option value="all" selected="">');
    // A "next" pointing to another site is ignored.
    const { browser: other } = await tryLogin(username, password);
    const outside = await harness.app.request('/staff/login?next=https%3A%2F%2Fevil.example', {
      method: 'POST',
      headers: { cookie: [...other.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      body: new URLSearchParams({ token: other.token((await other.open('/staff/login')).html), username, password }),
    });
    expect(outside.headers.get('location')).toBe('/staff');
  });

  it('sets a session cookie scripts cannot read, and ends the session on the server at sign-out', async () => {
    const { username, password } = await harness.account('hotline');
    const { browser, result } = await tryLogin(username, password);
    expect(result.response.status).toBe(200);
    const raw = await harness.app.request('/staff/login', {
      method: 'POST',
      headers: { cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      body: new URLSearchParams({
        token: browser.token((await browser.open('/staff/login')).html),
        username,
        password,
      }),
    });
    const session = raw.headers.getSetCookie().find((value) => value.startsWith('rl_staff='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Expires|Max-Age/i);
    const token = /^rl_staff=([^;]+)/.exec(session)![1]!;
    const signedIn = await harness.app.request('/staff', { headers: { cookie: `rl_staff=${token}` } });
    expect(signedIn.status).toBe(200);
    const signOut = await harness.app.request('/staff/logout', {
      method: 'POST',
      headers: { cookie: `rl_staff=${token}` },
    });
    expect(signOut.headers.get('location')).toBe('/staff/login');
    // The same cookie, kept by someone, opens nothing any more.
    expect((await harness.app.request('/staff', { headers: { cookie: `rl_staff=${token}` } })).status).toBe(303);
  });

  it('answers a wrong password and an unknown name alike, and locks after five tries either way', async () => {
    const { username, password } = await harness.account('hotline');
    const wrong = await tryLogin(username, 'not the password');
    const unknown = await tryLogin('nobody-here', 'not the password');
    expect(wrong.result.response.status).toBe(401);
    expect(unknown.result.response.status).toBe(401);
    expect(wrong.result.html).toContain('data-message="login.invalid"');
    expect(unknown.result.html).toContain('data-message="login.invalid"');
    for (let i = 0; i < 4; i += 1) {
      await tryLogin(username, 'still wrong');
      await tryLogin('nobody-here', 'still wrong');
    }
    const locked = await tryLogin(username, password);
    const lockedUnknown = await tryLogin('nobody-here', 'anything');
    expect(locked.result.response.status).toBe(429);
    expect(lockedUnknown.result.response.status).toBe(429);
    expect(locked.result.html).toContain('data-message="login.locked"');
    expect(lockedUnknown.result.html).toContain('data-message="login.locked"');
  });

  it('asks for the authenticator code when the account has one', async () => {
    const { username, password, user } = await harness.account('supervisor');
    const secret = await harness.services.accounts.enableTotp(user.id);
    const withoutCode = await tryLogin(username, password);
    expect(withoutCode.result.html).toContain('data-message="login.codeNeeded"');
    const withCode = await tryLogin(username, password, totpAt(secret, new Date()));
    expect(withCode.result.response.status).toBe(200);
    expect(withCode.result.html).toContain('action="/staff/logout"');
  });

  it('refuses a post without the form token of the session', async () => {
    const { reference } = await harness.submit({ consent: { shareWithLawEnforcement: true } });
    const staff = await harness.signedIn('hotline');
    const refused = await staff.post(`/staff/cases/${reference}/note`, { body: 'forged' });
    expect(refused.response.status).toBe(403);
    expect(refused.html).toContain('data-message="refused.formExpired"');
    expect(await harness.services.caseWork.listNotes((await harness.services.caseWork.reportIdOf(reference))!)).toEqual(
      [],
    );
  });

  it('keeps agency accounts out of the staff console, and staff out of the agency inbox', async () => {
    const { reference } = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH' },
    });
    const agency = await harness.signedIn('agency', 'th-rtp');
    for (const path of ['/staff', `/staff/cases/${reference}`, '/staff/audit', '/staff/search?q=x']) {
      expect((await agency.open(path)).response.status, path).toBe(403);
    }
    const staff = await harness.signedIn('admin');
    for (const path of ['/agency', `/agency/cases/${reference}`]) {
      expect((await staff.open(path)).response.status, path).toBe(403);
    }
  });

  it('shows an agency only the cases routed to it: another agency’s case answers as if it did not exist', async () => {
    const { services } = harness;
    const thai = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'TH', nationality: 'TH' },
    });
    const korean = await harness.submit({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'KR', nationality: 'KR' },
      evidence: [],
    });
    const withheld = await harness.submit({
      consent: { shareWithLawEnforcement: false },
      victim: { currentCountry: 'TH', nationality: 'TH' },
    });
    expect(await services.routing.isRoutedTo(korean.reportId, 'th-rtp')).toBe(false);
    const police = await harness.signedIn('agency', 'th-rtp');
    const inbox = await police.open('/agency');
    expect(inbox.html).toContain(thai.reference);
    expect(inbox.html).not.toContain(korean.reference);
    expect(inbox.html).not.toContain(withheld.reference);
    const page = await police.open(`/agency/cases/${thai.reference}`);
    expect(page.response.status).toBe(200);
    const token = police.consoleToken(page.html);
    const missing = await police.open('/agency/cases/RL-0000-0000');
    for (const reference of [korean.reference, withheld.reference]) {
      const other = await police.open(`/agency/cases/${reference}`);
      expect(other.response.status).toBe(404);
      expect(other.html).toBe(missing.html);
      expect((await police.open(`/agency/evidence/${reference}/${'a'.repeat(64)}`)).response.status).toBe(404);
      for (const [path, fields] of [
        ['decision', { decision: 'accepted' }],
        ['case-number', { caseNumber: 'TH-1' }],
        ['action', { action: 'investigation_opened' }],
      ] as const) {
        expect((await police.post(`/agency/cases/${reference}/${path}`, { token, ...fields })).response.status).toBe(
          404,
        );
      }
    }
    expect(await services.agencyResponses.list(korean.reportId)).toEqual([]);
    // Nor can it read another agency's case through the API with its token.
    const { token: apiToken } = await import('../../intake/store/api-tokens.js').then((module) =>
      module.createApiToken(services.db, { role: 'agency', agencyId: 'th-rtp' }),
    );
    const api = await harness.app.request(`/api/v1/agency/cases/${korean.reference}`, {
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(api.status).toBe(404);
  });

  it('serves the console pages with strict headers and no caching', async () => {
    const staff = await harness.signedIn('hotline');
    const page = await staff.open('/staff');
    expect(page.response.headers.get('cache-control')).toBe('no-store');
    expect(page.response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.response.headers.get('x-frame-options')).toBe('DENY');
    expect(page.response.headers.get('content-security-policy')).toContain("script-src 'self'");
    // One script of our own, the duty desk's refresh (the page works without it); nothing inline, nothing from outside.
    expect([...page.html.matchAll(/<script\b[^>]*>/g)].map((tag) => tag[0])).toEqual([
      '<script src="/assets/duty-desk.js" defer="">',
    ]);
  });
});
