import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safetyFlagsOf } from '../../intake/report/report-glance.js';
import { createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

describe.each(testDatabaseKinds)('the trafficking screening in the web chat (%s)', (kind) => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    portal = await createPublicPortal(database);
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  /** A browser on /chat: keeps the session cookie, presses the page's own buttons (`<question>|<answer>`). */
  function browser(language: string) {
    let cookie = '';
    const open = async () => {
      const response = await portal.app.request('/chat', { headers: { cookie, 'accept-language': language } });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      return await response.text();
    };
    const buttons = (html: string) => [...html.matchAll(/name="choice" value="([^"]+)"/g)].map((match) => match[1]!);
    const send = async (html: string, fields: Record<string, string>) => {
      const form = new FormData();
      form.set('token', /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '');
      for (const [name, value] of Object.entries(fields))
        form.set(
          name,
          name === 'choice' ? (buttons(html).find((b) => b === value || b.endsWith(`|${value}`)) ?? value) : value,
        );
      const response = await portal.app.request('/chat', { method: 'POST', body: form, headers: { cookie } });
      return response.status === 303 ? open() : response.text();
    };
    return { open, send, buttons };
  }

  it('Indonesian: the story leads to one list of buttons, each press amends the urgent report, the list shrinks', async () => {
    const visitor = browser('id');
    let html = await visitor.open();
    for (const choice of ['id', 'danger', 'me', 'yes', 'PH']) html = await visitor.send(html, { choice });
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(html)![0];
    html = await visitor.send(html, { message: 'Mereka mengambil paspor saya, saya tidak bisa pergi.' });
    if (visitor.buttons(html).some((value) => value.startsWith('confirmFound|')))
      html = await visitor.send(html, { choice: 'no' });
    html = await visitor.send(html, { command: 'skip' });
    const screening = () => visitor.buttons(html).filter((value) => value.startsWith('screening|'));
    expect(screening()).toEqual([
      'screening|documents_taken',
      'screening|debt_to_employer',
      'screening|not_free_to_leave',
      'screening|forced_to_scam',
      'screening|threats_or_violence',
      'screening|wages_withheld',
      'screening|done',
      'screening|skip',
    ]);
    html = await visitor.send(html, { choice: 'screening|not_free_to_leave' });
    expect(screening()).not.toContain('screening|not_free_to_leave');
    expect(screening()).toHaveLength(7);
    html = await visitor.send(html, { choice: 'screening|done' });
    expect(screening()).toEqual([]);
    const stored = (await portal.intake.reports.getReport(reference))!;
    expect(stored.report.screening).toEqual({ indicators: ['not_free_to_leave'] });
    expect(safetyFlagsOf(stored.report)).toContain('likely_trafficking');
  });
});
