import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortal } from '../../app/create-portal.js';
import type { Services } from '../../app/open-services.js';
import { errorCodeOf } from '../../intake/errors/error-code.js';
import { messageKeys } from '../support/page-messages.js';
import { browserFor } from '../support/public-portal.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { openTestServices, recordingLogger } from '../support/test-services.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Nothing listens here: a Redis that is down. */
const unreachableRedis = 'redis://127.0.0.1:1';

/** A request to the public API from one client behind the (trusted) reverse proxy, with a body it refuses. */
function apiWrite(app: ReturnType<typeof createPortal>, client: string) {
  return app.request('/api/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: '{ not json',
  });
}

/** Two instances of Reportline on one database (and one data key, as a deployment's instances have). */
async function twoInstances(database: TestDatabase, environment: Record<string, string>) {
  const logger = recordingLogger();
  const shared = {
    REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
    REPORTLINE_TRUST_PROXY: 'true',
    REPORTLINE_PUBLIC_WRITES_PER_HOUR: '3',
    ...environment,
  };
  const services = [
    await openTestServices(database, { logger, environment: shared }),
    await openTestServices(database, { logger, environment: shared }),
  ];
  return { services, apps: services.map((each) => createPortal(each, logger)), logger };
}

interface Setup {
  store: string;
  database: 'sqlite' | 'postgres';
  environment: Record<string, string>;
}
const onPostgres = testDatabaseKinds.includes('postgres');
const setups: Setup[] = [
  ...(onPostgres ? [{ store: 'postgres', database: 'postgres', environment: {} } satisfies Setup] : []),
  {
    store: 'redis',
    database: onPostgres ? 'postgres' : 'sqlite',
    environment: { REDIS_URL: redisUrl },
  },
];

describe.each(setups)('rate limits counted in $store, with two instances', ({ store, database: kind, environment }) => {
  let database: TestDatabase;
  let instances: Awaited<ReturnType<typeof twoInstances>>;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    instances = await twoInstances(database, environment);
  });
  afterAll(async () => {
    for (const each of instances.services) await each.close();
    await database.dispose();
  });

  it('chooses the store from the configuration', () => {
    expect(instances.services.map((each) => each.limits.store.kind)).toEqual([store, store]);
  });

  it('gives a client the public write limit once, whichever instance the proxy sends it to', async () => {
    const [first, second] = instances.apps as [ReturnType<typeof createPortal>, ReturnType<typeof createPortal>];
    const client = '203.0.113.7';
    const statuses = [];
    for (const app of [first, second, first, second, first]) statuses.push((await apiWrite(app, client)).status);
    // Three tries are let through to the body check (a malformed body: 400); the fourth and fifth are over the limit.
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
    expect((await apiWrite(second, '203.0.113.8')).status).toBe(400);
  });

  it('gives a receipt-code guesser 20 tries per browser in all, whichever instance each try reaches', async () => {
    const [services] = instances.services as [Services];
    const { reference } = await services.reports.submitReport(
      { consent: { shareWithLawEnforcement: false } },
      { actor: 'test' },
    );
    let cookie = '';
    const statuses = [];
    for (let i = 0; i < 24; i += 1) {
      const app = instances.apps[i % 2]!;
      const headers = { cookie, 'x-forwarded-for': '198.51.100.4' };
      const page = await app.request('/status', { headers });
      const set = page.headers.getSetCookie().map((each) => each.split(';')[0]!);
      if (set.length > 0) cookie = set.join('; ');
      const form = new FormData();
      form.append('token', /name="token" value="([^"]+)"/.exec(await page.text())![1]!);
      form.append('reference', reference);
      form.append('code', `AAAA-BBBB-${1000 + i}`);
      statuses.push(
        (await app.request('/status', { method: 'POST', body: form, headers: { ...headers, cookie } })).status,
      );
    }
    // Twenty wrong codes are checked (and refused as wrong); from the 21st on, the browser is over its limit.
    expect(statuses.filter((status) => status === 429)).toHaveLength(4);
    expect(statuses.slice(0, 20)).not.toContain(429);
  });

  it('never stores the address it counts', async () => {
    if (store !== 'postgres') return;
    const rows = await database.db.selectFrom('rate_limit_counters').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain('203.0.113');
  });
});

describe('a shared store that is down', () => {
  let database: TestDatabase;
  let instances: Awaited<ReturnType<typeof twoInstances>>;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    instances = await twoInstances(database, { REDIS_URL: unreachableRedis });
  });
  afterAll(async () => {
    for (const each of instances.services) await each.close();
    await database.dispose();
  });

  it('still lets a report through the public API (fail open), and logs why under a stable code', async () => {
    const [app] = instances.apps;
    const statuses = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await apiWrite(app!, '203.0.113.9')).status);
    expect(statuses).toEqual(Array(8).fill(400));
    const logged = instances.logger.failures.map(errorCodeOf).filter((code) => code === 'limits.store_unavailable');
    // Once per instance for the lost connection and once for the limit: not once per request while it stays down.
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged.length).toBeLessThanOrEqual(3);
  });

  it('still takes a report through the form (fail open): every step saved, the report sent and stored', async () => {
    const [services] = instances.services as [Services];
    const reporter = browserFor(instances.apps[1]!, 'en');
    let page = await reporter.open('/report/safety');
    page = await reporter.submit(page, '/report/safety', {
      action: 'next',
      'safety.inImmediateDanger': 'yes',
      'safety.heldAgainstWill': 'yes',
      'victim.currentCountry': 'KH',
    });
    expect(messageKeys(page.html)).toContain('form.step.incident.title');
    page = await reporter.submit(page, '/report/incident', {
      action: 'next',
      reporterRole: 'victim',
      'incident.category': 'fake_job_compound',
      'incident.narrative': 'They took my passport in a compound near Sihanoukville and make me scam people.',
    });
    for (const step of ['money', 'contacts', 'evidence'])
      page = await reporter.submit(page, `/report/${step}`, { action: 'next' });
    page = await reporter.submit(page, '/report/about', { action: 'next', 'consent.shareWithLawEnforcement': 'yes' });
    expect(messageKeys(page.html)).toContain('form.step.review.title');
    const done = await reporter.submit(page, '/report/submit', {});
    expect(messageKeys(done.html)).toContain('form.done.title');
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.html)![0];
    expect((await services.reports.getReport(reference))?.report.reference).toBe(reference);
  });

  it('refuses staff sign-in (fail closed), even with the right password', async () => {
    const [services] = instances.services as [Services];
    const password = `${randomBytes(12).toString('base64url')}-pass`;
    await services.accounts.createUser({ username: 'hotline-closed', password, role: 'hotline' });
    const browser = browserFor(instances.apps[0]!, 'en');
    const form = await browser.open('/staff/login');
    const answer = await browser.submit(form, '/staff/login', { username: 'hotline-closed', password });
    expect(answer.response.status).toBe(429);
    expect(answer.html).not.toContain('/staff/logout');
  });
});
