import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { createPublicPortal } from '../support/public-portal.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';
import { onceReportedNumber, reportAndConfirm, warnedNumber } from './check-surface-fixture.js';

interface CheckBody {
  result: string;
  indicators: Array<{ kind: string; value: string; verdict: string; advice: string[] }>;
  advice?: Record<string, string>;
  language?: string;
}

describe.each(testDatabaseKinds)('POST /api/v1/checks (%s)', (kind) => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;
  let agencyToken: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    portal = await createPublicPortal(database);
    await reportAndConfirm(portal.intake);
    ({ token: agencyToken } = await createApiToken(portal.intake.db, { role: 'agency', agencyId: 'th-ccib' }));
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  async function check(token: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await portal.app.request('/api/v1/checks', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { response, body: (await response.json()) as CheckBody & { error?: { code: string; message: string } } };
  }

  it.each(['ko', 'th', 'vi'])(
    'answers verdicts and advice keys, and with Accept-Language %s the advice in words',
    async (language) => {
      const { token } = await createApiToken(portal.intake.db, { role: 'admin', label: `bank ${language}` });
      const warned = await check(
        token,
        { text: `payee ${warnedNumber.local}, then ${onceReportedNumber.local}`, country: 'th' },
        { 'accept-language': language },
      );
      expect(warned.response.status).toBe(200);
      expect(warned.response.headers.get('cache-control')).toBe('no-store');
      expect(warned.body.result).toBe('checked');
      expect(warned.body.indicators).toEqual([
        { kind: 'phone', value: warnedNumber.e164, verdict: 'warning', advice: ['job_deposit'] },
        {
          kind: 'phone',
          value: onceReportedNumber.e164,
          verdict: 'no_warning',
          advice: ['job_deposit', 'withdraw_fee', 'recovery_fee'],
        },
      ]);
      const messages = testI18n.getFixedT(language, 'messages');
      expect(warned.body.language).toBe(language);
      expect(warned.body.advice).toEqual({
        job_deposit: messages('check.advice.job_deposit'),
        withdraw_fee: messages('check.advice.withdraw_fee'),
        recovery_fee: messages('check.advice.recovery_fee'),
      });
      // Nothing about reports: no count, no content, no report reference.
      expect(JSON.stringify(warned.body)).not.toMatch(/report|RL-/i);
    },
  );

  it('without Accept-Language: keys only; nothing recognised says so', async () => {
    const plain = await check(agencyToken, { text: warnedNumber.e164 });
    expect(plain.body).toEqual({
      result: 'checked',
      indicators: [{ kind: 'phone', value: warnedNumber.e164, verdict: 'warning', advice: ['job_deposit'] }],
    });
    const nothing = await check(agencyToken, { text: 'hello there' });
    expect(nothing.body).toEqual({ result: 'nothing_recognised', indicators: [] });
  });

  it('refuses no token, bad bodies and too large a body, each with its code', async () => {
    const anonymous = await portal.app.request('/api/v1/checks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: warnedNumber.e164 }),
    });
    expect(anonymous.status).toBe(401);
    expect((await check('rl_not-a-token', { text: 'x' })).response.status).toBe(401);
    const unknownField = await check(
      agencyToken,
      { text: warnedNumber.e164, reporter: 'me' },
      { 'accept-language': 'th' },
    );
    expect(unknownField.response.status).toBe(400);
    expect(unknownField.body.error?.code).toBe('invalid_check');
    expect(unknownField.body.error?.message).toBe(testI18n.getFixedT('th', 'api')('errors.invalid_check'));
    expect((await check(agencyToken, '{"text":')).body.error?.code).toBe('malformed_json');
    expect((await check(agencyToken, { text: '' })).body.error?.code).toBe('invalid_check');
    const huge = await check(agencyToken, { text: 'x'.repeat(40_000) });
    expect(huge.response.status).toBe(413);
    expect(huge.body.error?.code).toBe('check_too_large');
    const form = await check(agencyToken, JSON.stringify({ text: 'x' }), { 'content-type': 'text/plain' });
    expect(form.response.status).toBe(415);
    expect(form.body.error?.code).toBe('check_not_json');
  });

  it('holds the rate limit per token: past it 429 with Retry-After, while another token still checks', async () => {
    const { token: busy } = await createApiToken(portal.intake.db, { role: 'partner', label: 'busy partner' });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof check>> | undefined;
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const answer = await check(busy, { text: onceReportedNumber.e164 });
      statuses.push(answer.response.status);
      if (answer.response.status === 429) limited = answer;
    }
    // REPORTLINE_CHECKS_PER_10_MINUTES defaults to 10.
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    expect(limited?.body.error?.code).toBe('check_rate_limited');
    expect(Number(limited?.response.headers.get('retry-after'))).toBeGreaterThan(0);
    const { token: other } = await createApiToken(portal.intake.db, { role: 'admin', label: 'other partner' });
    expect((await check(other, { text: onceReportedNumber.e164 })).response.status).toBe(200);
  });
});
