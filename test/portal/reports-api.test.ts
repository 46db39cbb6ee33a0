import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { completeReport, minimalReport } from '../support/fixtures.js';
import { createTestPortal, type TestPortal } from '../support/test-portal.js';

describe('the JSON API', () => {
  let portal: TestPortal;

  beforeAll(async () => {
    portal = await createTestPortal();
  });
  afterAll(async () => portal?.dispose());

  const post = (body: string, headers: Record<string, string> = {}) =>
    portal.app.request('/api/v1/reports', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const get = (reference: string, token?: string) =>
    portal.app.request(`/api/v1/reports/${reference}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const reportCount = async () =>
    Number(
      (
        await portal.database.db
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers /healthz with the database reachable', async () => {
    const response = await portal.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'reachable' });
  });

  it('accepts a report and hands back a reference and a receipt code', async () => {
    const response = await post(JSON.stringify(completeReport()));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { reference: string; receiptCode: string; urgent: boolean };
    expect(body.reference).toMatch(/^RL-/);
    expect(body.receiptCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(body.urgent).toBe(true);

    const read = await get(body.reference, portal.adminToken);
    expect(read.status).toBe(200);
    const stored = (await read.json()) as { report: Record<string, unknown>; indicators: unknown[] };
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the stored fields are taken off to compare the rest
    const { id, reference, status, urgent, createdAt, updatedAt, ...content } = stored.report;
    expect(content).toEqual(parseReportInput(completeReport()));
    expect(reference).toBe(body.reference);
    expect(stored.indicators.length).toBeGreaterThan(3);
    expect(JSON.stringify(stored)).not.toContain(body.receiptCode);
  });

  it('replays the first answer for a retried Idempotency-Key and stores nothing new', async () => {
    const headers = { 'idempotency-key': 'partner-42-submission-7' };
    const first = await post(JSON.stringify(minimalReport()), headers);
    const count = await reportCount();
    const retry = await post(JSON.stringify(minimalReport()), headers);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
    expect(await reportCount()).toBe(count);

    const reused = await post(JSON.stringify(completeReport()), headers);
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
    expect(await reportCount()).toBe(count);
  });

  describe('bad input: 400 with each problem and its field path, and nothing stored', () => {
    const cases: Array<[string, string, number, string, string[]]> = [
      ['malformed JSON', '{"consent": {"shareWithLawEnforcement": tru', 400, 'malformed_json', ['']],
      [
        'a wrong type',
        JSON.stringify({ consent: { shareWithLawEnforcement: 'yes' } }),
        400,
        'invalid_report',
        ['consent.shareWithLawEnforcement'],
      ],
      [
        'an unknown category',
        JSON.stringify({ ...minimalReport(), incident: { category: 'lottery' } }),
        400,
        'invalid_report',
        ['incident.category'],
      ],
      [
        'a missing consent and a bad amount',
        JSON.stringify({ losses: { payments: [{ amount: 'lots', currency: 'USD' }] } }),
        400,
        'invalid_report',
        ['consent', 'losses.payments.0.amount'],
      ],
      ['a body that is not an object', '[1, 2, 3]', 400, 'invalid_report', ['']],
      [
        'a body over 1 MiB',
        JSON.stringify({ ...minimalReport(), incident: { narrative: 'x'.repeat(1024 * 1024) } }),
        413,
        'body_too_large',
        [],
      ],
    ];
    it.each(cases)('%s', async (_name, body, status, code, paths) => {
      const before = await reportCount();
      const response = await post(body);
      expect(response.status).toBe(status);
      const error = (
        (await response.json()) as { error: { code: string; message: string; issues?: Array<{ path: string }> } }
      ).error;
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
      expect((error.issues ?? []).map((issue) => issue.path).sort()).toEqual(paths);
      expect(await reportCount()).toBe(before);
    });

    it('a body that is not JSON at all', async () => {
      const response = await portal.app.request('/api/v1/reports', {
        method: 'POST',
        body: 'consent=yes',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.status).toBe(415);
    });

    it('an Idempotency-Key that is too long', async () => {
      const response = await post(JSON.stringify(minimalReport()), { 'idempotency-key': 'k'.repeat(201) });
      expect(response.status).toBe(400);
    });

    it('says what went wrong in the language of the caller', async () => {
      const response = await post('{', { 'accept-language': 'th-TH,th;q=0.9,en;q=0.5' });
      const error = ((await response.json()) as { error: { message: string } }).error;
      expect(error.message).toBe('เนื้อหาไม่ใช่ JSON ที่ถูกต้อง ยังไม่ได้บันทึก');
    });
  });

  describe('reading a report needs an admin token', () => {
    let reference: string;
    beforeAll(async () => {
      reference = ((await (await post(JSON.stringify(completeReport()))).json()) as { reference: string }).reference;
    });

    it('401 without a token, with a wrong token, or with a malformed header — and no detail', async () => {
      for (const response of [
        await get(reference),
        await get(reference, 'rl_not-a-real-token'),
        await portal.app.request(`/api/v1/reports/${reference}`, { headers: { authorization: portal.adminToken } }),
      ]) {
        expect(response.status).toBe(401);
        const body = JSON.stringify(await response.json());
        expect(body).not.toContain('김민지');
        expect(body).not.toContain(reference);
      }
    });

    it('403 for an agency token', async () => {
      const { token } = await createApiToken(portal.database.db, { role: 'agency', agencyId: 'kr-knpa' });
      expect((await get(reference, token)).status).toBe(403);
    });

    it('404 for an unknown reference', async () => {
      expect((await get('RL-0000-0000', portal.adminToken)).status).toBe(404);
    });
  });

  it('raised no unexpected error', () => {
    expect(portal.unexpectedErrors).toEqual([]);
  });
});
