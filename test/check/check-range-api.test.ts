import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import type { Services } from '../../app/open-services.js';
import { partnerHashesOfText } from '../../intake/check/partner-hashes-of-text.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { indicatorBlindIndex } from '../../intake/store/report-store.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';
import { openTestServices } from '../support/test-services.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('the partner range API on %s', (kind) => {
  let database: TestDatabase;
  let services: Services;
  let app: ReturnType<typeof createPortal>;
  let partner: string;
  let agency: string;
  let admin: string;
  /** The partner hashes as a partner computes them, with the key `reportline check partner-key` prints. */
  const hashOf = (text: string) => partnerHashesOfText(services.cipher, text, 'TH')[0]!.hash;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    services = await openTestServices(database, {
      environment: { REPORTLINE_CHECK_RANGE_PER_MINUTE: '40' },
      logger: silentLogger,
    });
    app = createPortal(services, silentLogger);
    partner = (await createApiToken(services.db, { role: 'partner', label: 'A bank' })).token;
    agency = (await createApiToken(services.db, { role: 'agency', agencyId: 'th-aoc' })).token;
    admin = (await createApiToken(services.db, { role: 'admin' })).token;

    /** Reports of `phone` by `reporters` distinct people (each their own phone). */
    const reportBy = async (phone: string, reporters: number) => {
      for (let i = 0; i < reporters; i += 1)
        await services.reports.submitReport(
          {
            channel: 'web',
            language: 'th',
            consent: { shareWithLawEnforcement: true },
            reporter: { phone: `+66 89 ${phone.slice(-4)} ${String(i).padStart(4, '0')}` },
            victim: { currentCountry: 'TH', languagesSpoken: [] },
            suspects: { phones: [phone] },
          },
          { actor: 'channel:web' },
        );
    };
    const confirm = async (value: string) => {
      const found = (await services.checkStaff.review.candidates()).find((entry) => entry.value === value)!;
      await services.checkStaff.review.confirm('user:staff', found.valueHash, 'job_scam');
    };
    await reportBy('081 900 0001', 3);
    await confirm('+66819000001');
    await reportBy('081 900 0002', 5); // five reporters, never confirmed
    await reportBy('081 900 0003', 3);
    await confirm('+66819000003');
    await services.checkStaff.safelist.add('user:staff', {
      kind: 'phone',
      value: '+66819000003',
      source: 'The shop whose number was spoofed',
    });
  });
  afterAll(async () => {
    await services?.close();
    await database?.dispose();
  });

  const ask = (prefix: string, token: string | null = partner) =>
    app.request(`/api/v1/check-range/${prefix}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('answers a confirmed hash in its range, to a partner and to an agency', async () => {
    const hash = hashOf('081 900 0001');
    for (const token of [partner, agency]) {
      const answer = await ask(hash.slice(0, 5).toUpperCase(), token);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const body = (await answer.json()) as { prefix: string; hashes: string[] };
      expect(body.prefix).toBe(hash.slice(0, 5));
      expect(body.hashes).toContain(hash);
      expect(body.hashes.every((item) => /^[0-9a-f]{64}$/.test(item) && item.startsWith(hash.slice(0, 5)))).toBe(true);
    }
  });

  it('answers the same for a range holding only unconfirmed or safelisted values as for an empty one', async () => {
    const unconfirmed = hashOf('081 900 0002');
    const safelisted = hashOf('081 900 0003');
    const confirmed = hashOf('081 900 0001');
    // A prefix nothing of this database is under.
    const empty = ['00000', '11111', 'fffff'].find(
      (prefix) => ![unconfirmed, safelisted, confirmed].some((hash) => hash.startsWith(prefix)),
    )!;
    const bodies = await Promise.all(
      [unconfirmed, safelisted].map(async (hash) =>
        (await (await ask(hash.slice(0, 5))).text()).replace(hash.slice(0, 5), 'P'),
      ),
    );
    const emptyBody = (await (await ask(empty)).text()).replace(empty, 'P');
    expect(bodies).toEqual([emptyBody, emptyBody]);
    expect(JSON.parse(emptyBody)).toEqual({ prefix: 'P', hashes: [] });
  });

  it('uses a partner key that cannot compute the blind index', () => {
    const blindIndex = indicatorBlindIndex(services.cipher, 'phone', '+66819000001');
    // The blind index's own formula with the key a partner holds: not the stored index.
    const withPartnerKey = createHmac('sha256', services.cipher.checkPartnerKey())
      .update('indicator:phone\u0000+66819000001')
      .digest('base64url');
    expect(withPartnerKey).not.toBe(blindIndex);
    expect(hashOf('081 900 0001')).not.toBe(Buffer.from(blindIndex, 'base64url').toString('hex'));
  });

  it('refuses a bad prefix, no token and a token of another role', async () => {
    for (const prefix of ['abcd', 'abcdef', 'xyz12', '%2e%2e%2f1'])
      expect(await (await ask(prefix)).json()).toMatchObject({ error: { code: 'invalid_check_prefix' } });
    expect((await ask('abcde', null)).status).toBe(401);
    expect((await ask('abcde', admin)).status).toBe(403);
  });

  it('holds each token to its limit a minute', async () => {
    const { token } = await createApiToken(services.db, { role: 'partner', label: 'A busy bank' });
    const statuses: number[] = [];
    for (let i = 0; i < 41; i += 1) statuses.push((await ask('0a0b0', token)).status);
    expect(statuses.slice(0, 40).every((status) => status === 200)).toBe(true);
    const refused = await ask('0a0b0', token);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toMatchObject({ error: { code: 'check_range_rate_limited' } });
    // Another partner is not held back by it.
    expect((await ask('0a0b0', partner)).status).toBe(200);
  });
});
