import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpiredRecords } from '../../intake/store/retention.js';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { browserFor } from '../support/public-portal.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';

warnIfPostgresSkipped();

/**
 * Written before the fix, from the findings: the public API took 500 reports
 * from one client in a burst; 500 cookie-less GET /chat stored 500
 * conversations; 200 fresh-cookie drafts were all stored; nothing deleted
 * abandoned conversations or handled webhooks; ten wrong codes from anyone
 * locked the status page for the right code too; the resume link reflected
 * the Host header; the Secure flag ignored a trusted proxy's HTTPS; a lone
 * surrogate was stored and broke the JSON API.
 */
describe.each(testDatabaseKinds)('no stranger can amplify writes or lock a reporter out, on %s', (kind) => {
  let harness: ConsoleHarness;
  let close: () => Promise<void>;
  const writesPerHour = 5;
  beforeAll(async () => {
    ({ harness, close } = await openHarnessOn(kind, {
      REPORTLINE_TRUST_PROXY: 'true',
      REPORTLINE_PUBLIC_WRITES_PER_HOUR: String(writesPerHour),
    }));
  });
  afterAll(async () => close?.());

  let clientNumber = 0;
  /** A new client address, as a trusted proxy reports it. */
  const newClient = () => `198.51.100.${(clientNumber += 1)}`;
  const count = async (table: 'reports' | 'conversations' | 'report_drafts') =>
    Number(
      (
        await harness.services.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** app.request with cookies kept, from one client address. */
  function visitor(address: string, extra: Record<string, string> = {}) {
    const browser = browserFor(harness.app, 'en');
    const cookies = () => [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const request = async (path: string, init: RequestInit = {}) => {
      const response = await harness.app.request(path, {
        ...init,
        headers: {
          'x-forwarded-for': address,
          cookie: cookies(),
          ...extra,
          ...(init.headers as Record<string, string> | undefined),
        },
      });
      for (const set of response.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const [name, value] = pair!.split('=');
        browser.cookies.set(name!, value ?? '');
      }
      return response;
    };
    return { request, cookies: browser.cookies };
  }

  it('limits reports over the public API per client, per hour', async () => {
    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < writesPerHour + 3; i += 1) {
      const response = await harness.app.request('/api/v1/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        body: JSON.stringify({ consent: { shareWithLawEnforcement: false } }),
      });
      statuses.push(response.status);
      if (response.status === 429) expect(response.headers.get('retry-after')).toBe('3600');
    }
    expect(statuses.filter((status) => status === 201)).toHaveLength(writesPerHour);
    expect(statuses.slice(writesPerHour)).toEqual([429, 429, 429]);
    // Another client is not affected.
    const other = await harness.app.request('/api/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': newClient() },
      body: JSON.stringify({ consent: { shareWithLawEnforcement: false } }),
    });
    expect(other.status).toBe(201);
  });

  it('stores no conversation for opening the chat, and only so many new ones per client', async () => {
    const before = await count('conversations');
    for (let i = 0; i < 50; i += 1)
      expect((await harness.app.request('/chat', { headers: { 'x-forwarded-for': newClient() } })).status).toBe(200);
    expect(await count('conversations')).toBe(before);

    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < writesPerHour + 2; i += 1) {
      const person = visitor(client);
      const page = await (await person.request('/chat')).text();
      const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
      const form = new FormData();
      form.append('token', token);
      form.append('choice', 'en');
      statuses.push((await person.request('/chat', { method: 'POST', body: form })).status);
    }
    expect(statuses.filter((status) => status === 303)).toHaveLength(writesPerHour);
    expect(statuses.slice(writesPerHour)).toEqual([429, 429]);
    expect(await count('conversations')).toBe(before + writesPerHour);
  });

  it('stores only so many new form drafts per client, and keeps what was typed in the refusal', async () => {
    const before = await count('report_drafts');
    const client = newClient();
    const statuses: number[] = [];
    let refusal = '';
    for (let i = 0; i < writesPerHour + 2; i += 1) {
      const person = visitor(client);
      const page = await (await person.request('/report/incident')).text();
      const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
      const form = new FormData();
      form.append('token', token);
      form.append('incident.narrative', `story ${i}`);
      form.append('action', 'next');
      const response = await person.request('/report/incident', { method: 'POST', body: form });
      statuses.push(response.status);
      if (response.status === 429) refusal = await response.text();
    }
    expect(statuses.filter((status) => status === 303)).toHaveLength(writesPerHour);
    expect(statuses.slice(writesPerHour)).toEqual([429, 429]);
    expect(refusal).toContain(`story ${writesPerHour + 1}`);
    expect(await count('report_drafts')).toBe(before + writesPerHour);
  });

  it('deletes abandoned conversations and handled webhooks after their retention, never one that stored a report', async () => {
    const { db } = harness.services;
    const old = '2020-01-01T00:00:00.000Z';
    const reporter = visitor(newClient());
    const page = await (await reporter.request('/chat')).text();
    const form = new FormData();
    form.append('token', /name="token" value="([^"]+)"/.exec(page)![1]!);
    form.append('choice', 'en');
    await reporter.request('/chat', { method: 'POST', body: form });
    const { reportId } = await harness.services.reports.submitReport(
      { consent: { shareWithLawEnforcement: false } },
      { actor: 'test' },
    );
    const conversations = await db
      .selectFrom('conversations')
      .select('id')
      .orderBy('created_at', 'desc')
      .limit(2)
      .execute();
    const [abandoned, withReport] = conversations.map((row) => row.id);
    await db.updateTable('conversations').set({ updated_at: old }).where('id', '=', abandoned!).execute();
    await db
      .updateTable('conversations')
      .set({ updated_at: old, report_id: reportId })
      .where('id', '=', withReport!)
      .execute();
    await db
      .insertInto('processed_updates')
      .values([
        { channel: 'telegram', update_key: 'old', processed_at: old },
        { channel: 'telegram', update_key: 'new', processed_at: new Date().toISOString() },
      ])
      .execute();
    await db
      .insertInto('inbound_events')
      .values([
        {
          channel: 'line',
          event_key: 'handled',
          payload_enc: 'x',
          received_at: old,
          processed_at: old,
          attempts: 1,
          last_error: null,
        },
        {
          channel: 'line',
          event_key: 'pending',
          payload_enc: 'x',
          received_at: old,
          processed_at: null,
          attempts: 9,
          last_error: null,
        },
      ])
      .execute();

    const purged = await purgeExpiredRecords(db, harness.services.config.retention, new Date());
    expect(purged).toEqual({ conversations: 1, processedUpdates: 1, inboundEvents: 1, endedVisits: 0, mails: 0 });
    const left = (await db.selectFrom('conversations').select('id').execute()).map((row) => row.id);
    expect(left).not.toContain(abandoned);
    expect(left).toContain(withReport);
    expect(
      (await db.selectFrom('processed_updates').select('update_key').execute()).map((row) => row.update_key),
    ).toEqual(['new']);
    expect((await db.selectFrom('inbound_events').select('event_key').execute()).map((row) => row.event_key)).toEqual([
      'pending',
    ]);
  });

  it('limits the guesser of a receipt code, never the reporter', async () => {
    const { reference, receiptCode } = await harness.services.reports.submitReport(
      { consent: { shareWithLawEnforcement: false } },
      { actor: 'test' },
    );
    const guesser = newClient();
    let refused = 0;
    for (let i = 0; i < 70; i += 1) {
      const person = visitor(guesser);
      const page = await (await person.request('/status')).text();
      const form = new FormData();
      form.append('token', /name="token" value="([^"]+)"/.exec(page)![1]!);
      form.append('reference', reference);
      form.append('code', `AAAA-BBBB-${1000 + i}`);
      if ((await person.request('/status', { method: 'POST', body: form })).status === 429) refused += 1;
    }
    expect(refused).toBeGreaterThan(0);
    // The reporter, from their own phone, opens their report at once.
    const reporter = visitor(newClient());
    const page = await (await reporter.request('/status')).text();
    const form = new FormData();
    form.append('token', /name="token" value="([^"]+)"/.exec(page)![1]!);
    form.append('reference', reference);
    form.append('code', receiptCode);
    const opened = await reporter.request('/status', { method: 'POST', body: form });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/status');
  });

  it('builds no link from the Host header, and marks cookies Secure behind a trusted HTTPS proxy', async () => {
    const person = visitor(newClient(), { host: 'evil.example', 'x-forwarded-proto': 'https' });
    const page = await (await person.request('/report/incident')).text();
    const form = new FormData();
    form.append('token', /name="token" value="([^"]+)"/.exec(page)![1]!);
    form.append('incident.narrative', 'a story');
    form.append('action', 'next');
    const saved = await person.request('/report/incident', { method: 'POST', body: form });
    expect(
      saved.headers.getSetCookie().some((cookie) => cookie.startsWith('rl_report=') && /;\s*Secure/i.test(cookie)),
    ).toBe(true);
    const shown = await (await person.request('/report/money')).text();
    expect(shown).not.toContain('evil.example');
    // The resume address is a path of ours, and never carries the code (the history would keep it).
    expect(shown).toMatch(/<bdi>\/report\/resume<\/bdi>/);
    const chat = await person.request('/chat');
    expect(chat.headers.getSetCookie().every((cookie) => /;\s*Secure/i.test(cookie))).toBe(true);
    // Over plain HTTP, with no proxy saying otherwise, a cookie is not marked Secure (it would be dropped).
    const plain = await harness.app.request('/chat', { headers: { 'x-forwarded-for': newClient() } });
    expect(plain.headers.getSetCookie().some((cookie) => /;\s*Secure/i.test(cookie))).toBe(false);
  });

  it('refuses a lone surrogate, NUL or a bidi override over the API, and neutralizes them in the form', async () => {
    for (const narrative of ['x \ud800 y', 'a\u0000b', 'pay \u202Eevil\u202C now']) {
      const response = await harness.app.request('/api/v1/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': newClient() },
        body: JSON.stringify({ consent: { shareWithLawEnforcement: false }, incident: { narrative } }),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { issues: Array<{ path: string; code: string }> } };
      expect(error.issues).toEqual([
        expect.objectContaining({ path: 'incident.narrative', code: 'invalid_characters' }),
      ]);
    }
    const person = visitor(newClient());
    const page = await (await person.request('/report/incident')).text();
    const form = new FormData();
    form.append('token', /name="token" value="([^"]+)"/.exec(page)![1]!);
    form.append('incident.narrative', 'He said \u202Egnp.exe\u202C and x \ud800 y\u0000!');
    form.append('action', 'next');
    const response = await person.request('/report/incident', { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('He said gnp.exe and x \ufffd y!');
    expect(html).toContain('class="notice" role="status"');
  });
});
