import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleHarness } from '../support/console-harness.js';
import { openHarnessOn } from '../support/harness-on-database.js';
import { testDatabaseKinds, warnIfPostgresSkipped } from '../support/test-databases.js';

warnIfPostgresSkipped();

/**
 * Written before the fix, from the finding: a public API report whose
 * evidence named `"storedPath":"development-data-key"` (or the database
 * file) made the console and the agency inbox serve that file byte for
 * byte. Here every way of naming a file is tried, and the key and the
 * database must come back from no route.
 */
const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('a screenshot of the chat'),
]);

const traversalPaths = [
  'development-data-key',
  'reportline.db',
  'reportline.db-wal',
  './development-data-key',
  'evidence/../development-data-key',
  '../data/development-data-key',
  '%2e%2e%2fdevelopment-data-key',
  'evidence%2F..%2Fdevelopment-data-key',
  'evidence\\..\\development-data-key',
  '..\\..\\etc\\passwd',
  'development-data-key\u0000.png',
  '/etc/passwd',
  'file:///etc/passwd',
];

describe.each(testDatabaseKinds)('evidence is only a file the server stored, on %s', (kind) => {
  let harness: ConsoleHarness;
  let close: () => Promise<void>;
  let dataDir: string;
  let keyFile: Buffer;
  let databaseFile: Buffer | undefined;

  beforeAll(async () => {
    // No REPORTLINE_DATA_KEY: the development key lives in the data folder, as on a first `npm start`.
    ({ harness, close } = await openHarnessOn(kind, {
      REPORTLINE_DATA_KEY: '',
      REPORTLINE_PUBLIC_WRITES_PER_HOUR: '10000',
    }));
    dataDir = harness.services.config.dataDir;
    keyFile = readFileSync(harness.services.config.developmentKeyFile);
    databaseFile = kind === 'sqlite' ? readFileSync(join(dataDir, 'reportline.db')) : undefined;
  });
  afterAll(async () => close?.());

  const postReport = (body: unknown) =>
    harness.app.request('/api/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a report that names a path, in any form, and stores nothing', async () => {
    const before = await harness.services.db.selectFrom('reports').select('id').execute();
    for (const storedPath of traversalPaths) {
      for (const target of [keyFile, databaseFile ?? keyFile]) {
        const response = await postReport({
          consent: { shareWithLawEnforcement: true },
          evidence: [
            { fileName: 'chat.png', mediaType: 'image/png', size: target.length, sha256: sha256(target), storedPath },
          ],
        });
        expect(response.status, storedPath).toBe(400);
        const { error } = (await response.json()) as {
          error: { code: string; issues: Array<{ path: string; code: string }> };
        };
        expect(error.code).toBe('invalid_report');
        expect(error.issues).toContainEqual(expect.objectContaining({ path: 'evidence.0', code: 'unrecognized_keys' }));
      }
    }
    expect(await harness.services.db.selectFrom('reports').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses a report naming the hash of a file it did not receive, such as the key or the database', async () => {
    const targets = [keyFile, ...(databaseFile ? [databaseFile] : [])];
    for (const target of targets) {
      for (const mediaType of ['image/png', 'application/pdf', 'application/octet-stream']) {
        const response = await postReport({
          consent: { shareWithLawEnforcement: true },
          evidence: [{ fileName: 'x.png', mediaType, size: target.length, sha256: sha256(target) }],
        });
        expect(response.status).toBe(400);
        const { error } = (await response.json()) as { error: { issues: Array<{ path: string; code: string }> } };
        expect(error.issues).toEqual([expect.objectContaining({ path: 'evidence.0', code: 'evidence_not_held' })]);
      }
    }
    for (const sha of ['../../development-data-key', 'A'.repeat(64), `${'a'.repeat(63)}/`]) {
      const response = await postReport({
        consent: { shareWithLawEnforcement: true },
        evidence: [{ fileName: 'x.png', mediaType: 'image/png', size: 1, sha256: sha }],
      });
      expect(response.status).toBe(400);
    }
  });

  it('takes a file through the upload endpoint; a report then refers to it, and staff and the agency open it', async () => {
    const upload = await harness.app.request('/api/v1/evidence?fileName=chat.png', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: png,
    });
    expect(upload.status).toBe(201);
    const evidence = (await upload.json()) as { fileName: string; mediaType: string; size: number; sha256: string };
    expect(evidence).toEqual({ fileName: 'chat.png', mediaType: 'image/png', size: png.length, sha256: sha256(png) });

    const submitted = await postReport({
      consent: { shareWithLawEnforcement: true },
      victim: { currentCountry: 'LA' },
      evidence: [evidence],
    });
    expect(submitted.status).toBe(201);
    const { reference } = (await submitted.json()) as { reference: string };
    const staff = await harness.signedIn('hotline');
    const shown = await harness.app.request(`/staff/evidence/${reference}/${evidence.sha256}`, {
      headers: { cookie: [...staff.cookies].map(([n, v]) => `${n}=${v}`).join('; ') },
    });
    expect(shown.status).toBe(200);
    expect(Buffer.from(await shown.arrayBuffer()).equals(png)).toBe(true);

    // Not an image, an empty body, and a body past the limit are refused with their reason.
    const program = await harness.app.request('/api/v1/evidence', {
      method: 'POST',
      body: Buffer.from('MZ\x90\x00 a program'),
    });
    expect(program.status).toBe(415);
    expect(((await program.json()) as { error: { code: string } }).error.code).toBe('evidence_type_not_allowed');
    const empty = await harness.app.request('/api/v1/evidence', { method: 'POST', body: '' });
    expect(empty.status).toBe(400);
    const limit = harness.services.config.evidenceMaxBytes;
    const huge = await harness.app.request('/api/v1/evidence', {
      method: 'POST',
      body: Buffer.concat([png, Buffer.alloc(limit)]),
    });
    expect(huge.status).toBe(413);
  });

  it('serves no file from a stored record that names a path, nor through a link planted in the evidence folder', async () => {
    const { services } = harness;
    const { reference, reportId } = await services.reports.submitReport(
      { consent: { shareWithLawEnforcement: true } },
      { actor: 'test' },
    );
    // A record as an older version stored it, with a path, rewritten straight into the database.
    const context = `report:${reportId}:content`;
    const row = await services.db
      .selectFrom('reports')
      .select('content_enc')
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();
    const content = services.cipher.decryptJson<Record<string, unknown>>(row.content_enc, context);
    const planted = {
      fileName: 'key.png',
      mediaType: 'image/png',
      size: keyFile.length,
      sha256: sha256(keyFile),
      storedPath: 'development-data-key',
    };
    await services.db
      .updateTable('reports')
      .set({ content_enc: services.cipher.encryptJson({ ...content, evidence: [planted] }, context) })
      .where('id', '=', reportId)
      .execute();
    // And a link under evidence/ where the key's hash would be looked for.
    const linkPath = join(dataDir, 'evidence', planted.sha256.slice(0, 2), `${planted.sha256}.png`);
    mkdirSync(dirname(linkPath), { recursive: true });
    symlinkSync(harness.services.config.developmentKeyFile, linkPath);

    const staff = await harness.signedIn('hotline');
    const routed = (await services.routing.getRouting(reportId))?.agencies.map((agency) => agency.agencyId) ?? [];
    const readers = [staff, ...(routed[0] ? [await harness.signedIn('agency', routed[0])] : [])];
    const secrets = [keyFile, ...(databaseFile ? [databaseFile] : [])];
    for (const reader of readers) {
      const cookie = [...reader.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
      for (const prefix of ['/staff/evidence', '/agency/evidence']) {
        for (const hash of [planted.sha256, ...secrets.map(sha256)]) {
          const response = await harness.app.request(`${prefix}/${reference}/${hash}`, { headers: { cookie } });
          const body = Buffer.from(await response.arrayBuffer());
          expect(response.status).not.toBe(200);
          for (const secret of secrets) expect(body.includes(secret.subarray(0, 32))).toBe(false);
        }
      }
    }
    // No path of any public route reaches the data folder either.
    for (const path of [
      '/development-data-key',
      '/reportline.db',
      '/data/development-data-key',
      '/evidence/../development-data-key',
      '/assets/..%2f..%2fdata%2fdevelopment-data-key',
    ]) {
      const response = await harness.app.request(path);
      expect(Buffer.from(await response.arrayBuffer()).includes(keyFile.subarray(0, 32))).toBe(false);
    }
  });
});
