import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFormats } from '../../intake/delivery/exports/export-cases.js';
import { reportInputSchema } from '../../intake/report/report-schema.js';
import { createApiToken } from '../../intake/store/api-tokens.js';
import { buildOpenApiDocument, exportResponses } from '../../portal/api/openapi-document.js';
import { openConsoleHarness, type ConsoleHarness } from '../support/console-harness.js';
import { completeReport, minimalReport } from '../support/fixtures.js';
import { testI18n } from '../support/test-portal.js';

// An OpenAPI document is read as untyped JSON on purpose: the test checks its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const english = testI18n.getFixedT('en', 'api');
/** As the portal serves it: each error code with its English message. */
const document: Json = buildOpenApiDocument({ errorMessage: (code) => english(`errors.${code}`) });
const server: string = document.servers[0].url;
const schemaUri = (name: string) => `urn:reportline:schema:${name}`;

/** A JSON Schema of the document with its `#/components/schemas/…` references made absolute, for ajv. */
function absolute<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, item) =>
    key === '$ref' && typeof item === 'string' && item.startsWith('#/components/schemas/')
      ? schemaUri(item.split('/').pop()!)
      : item,
  ) as T;
}

/** Strict: an unknown keyword or a malformed schema is an error, not something skipped. */
const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true, validateFormats: false });
for (const [name, schema] of Object.entries(document.components.schemas as Record<string, Json>))
  ajv.addSchema(absolute(schema), schemaUri(name));

const compiled = new Map<unknown, ValidateFunction>();
function validator(schema: Json): ValidateFunction {
  let compiledSchema = compiled.get(schema);
  if (!compiledSchema) {
    compiledSchema = ajv.compile(absolute(schema));
    compiled.set(schema, compiledSchema);
  }
  return compiledSchema;
}

const operationOf = (method: string, path: string): Json => {
  const operation = document.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
  return operation;
};

const resolveResponse = (response: Json): Json =>
  typeof response.$ref === 'string' ? document.components.responses[response.$ref.split('/').pop()!] : response;

/** Every schema the document holds: components, parameters, bodies, answers, headers. */
function everySchema(): Array<[string, Json]> {
  const found: Array<[string, Json]> = Object.entries(document.components.schemas as Record<string, Json>).map(
    ([name, schema]) => [`components/${name}`, schema],
  );
  const answers = (where: string, responses: Record<string, Json>) => {
    for (const [status, raw] of Object.entries(responses)) {
      const response = resolveResponse(raw);
      for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Json>))
        if (media.schema) found.push([`${where} ${status} ${type}`, media.schema]);
      for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>))
        found.push([`${where} ${status} header ${name}`, header.schema]);
    }
  };
  answers(
    'components/responses',
    Object.fromEntries(
      Object.keys(document.components.responses).map((name) => [name, document.components.responses[name]]),
    ),
  );
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const parameter of (operation.parameters ?? []) as Json[])
        found.push([`${where} ${parameter.in} ${parameter.name}`, parameter.schema]);
      for (const [type, media] of Object.entries((operation.requestBody?.content ?? {}) as Record<string, Json>))
        if (media.schema) found.push([`${where} body ${type}`, media.schema]);
      answers(where, operation.responses);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(structuredClone(document) as never, { resolve: { external: false } });
    expect(result.valid ? [] : result.errors.map((error) => error.message)).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  it('holds only valid JSON Schema 2020-12, each schema compiled by a strict validator', () => {
    const schemas = everySchema();
    expect(schemas.length).toBeGreaterThan(60);
    for (const [where, schema] of schemas) {
      expect(() => validator(schema), where).not.toThrow();
    }
  });

  it('describes bearer tokens, relative servers, and an answer for every status with the error shape for errors', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(server.startsWith('/')).toBe(true);
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const statuses = Object.keys(operation.responses);
        const where = `${method.toUpperCase()} ${path}`;
        expect(statuses, where).toContain('500');
        if (operation.security.length > 0) expect(statuses, where).toEqual(expect.arrayContaining(['401', '403']));
        for (const status of statuses.filter((status) => Number(status) >= 400)) {
          const body = resolveResponse(operation.responses[status]).content['application/json'].schema;
          expect(body.properties.error.required, `${where} ${status}`).toEqual(['code', 'message']);
          expect(body.properties.error.properties.code.enum.length, `${where} ${status}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('names every error code the API has a message for, and none it has not', () => {
    const messages = JSON.parse(readFileSync(new URL('../../locales/en/api.json', import.meta.url), 'utf8')) as {
      errors: Record<string, string>;
    };
    const documented = new Set<string>();
    for (const methods of Object.values(document.paths as Record<string, Record<string, Json>>)) {
      for (const operation of Object.values(methods)) {
        for (const raw of Object.values(operation.responses as Record<string, Json>)) {
          for (const code of resolveResponse(raw).content?.['application/json']?.schema?.properties?.error?.properties
            ?.code?.enum ?? [])
            documented.add(code);
        }
      }
    }
    expect([...documented].sort()).toEqual(Object.keys(messages.errors).sort());
  });

  it('describes what every export format answers', () => {
    expect(exportFormats.filter((format) => !exportResponses[format])).toEqual([]);
    const parameter = operationOf('get', '/exports/cases').parameters.find((item: Json) => item.name === 'format');
    expect(parameter.schema.enum).toEqual([...exportFormats]);
  });

  it('takes as the body of POST /reports what the report schema takes, and refuses an unknown field', () => {
    const body = validator(operationOf('post', '/reports').requestBody.content['application/json'].schema);
    for (const report of [completeReport(), minimalReport()]) {
      expect(body(report), JSON.stringify(body.errors)).toBe(true);
      expect(reportInputSchema.safeParse(report).success).toBe(true);
    }
    const refused: unknown[] = [
      { ...completeReport(), favouriteColour: 'blue' },
      { ...completeReport(), victim: { ...completeReport().victim, shoeSize: 42 } },
      {
        ...completeReport(),
        evidence: [{ fileName: 'a.png', mediaType: 'image/png', size: 1, sha256: 'a'.repeat(64), storedPath: 'x' }],
      },
      { consent: {} },
      { ...minimalReport(), channel: 'fax' },
      { ...minimalReport(), losses: { payments: [{ amount: -1, currency: 'USD' }] } },
    ];
    for (const report of refused) {
      expect(body(report), JSON.stringify(report)).toBe(false);
      expect(reportInputSchema.safeParse(report).success).toBe(false);
    }
  });
});

describe('the routes the portal serves under /api/v1', () => {
  let harness: ConsoleHarness;
  let adminToken: string;

  beforeAll(async () => {
    harness = await openConsoleHarness({ REPORTLINE_PUBLIC_WRITES_PER_HOUR: '10000' });
    adminToken = (await createApiToken(harness.services.db, { role: 'admin' })).token;
  });
  afterAll(async () => harness?.close());

  it('are every operation of the document, and the document has no other', () => {
    const served = new Set(
      harness.app.routes
        .filter((route) => route.method !== 'ALL' && route.path.startsWith(`${server}/`))
        .map((route) => `${route.method} ${route.path.slice(server.length).replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(document.paths as Record<string, Json>).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect(
      [...served].filter((route) => !documented.has(route)),
      'served but not documented',
    ).toEqual([]);
    expect(
      [...documented].filter((route) => !served.has(route)),
      'documented but not served',
    ).toEqual([]);
    expect(served.size).toBeGreaterThanOrEqual(11);
  });

  /** The answer is one the document names for that operation, with a body its schema takes. */
  async function answers(method: string, path: string, response: Response) {
    const operation = operationOf(method, path);
    const where = `${method.toUpperCase()} ${path} ${response.status}`;
    expect(Object.keys(operation.responses), where).toContain(String(response.status));
    const documented = resolveResponse(operation.responses[String(response.status)]);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = documented.content?.[type];
    expect(media, `${where}: ${type} is not documented`).toBeDefined();
    for (const name of Object.keys(documented.headers ?? {})) {
      if (name !== 'Idempotent-Replayed') expect(response.headers.get(name), `${where} header ${name}`).not.toBeNull();
    }
    const text = await response.text();
    const body: unknown = /^application\/(.+\+)?json$/.test(type) ? JSON.parse(text) : text;
    if (media.schema) {
      const check = validator(media.schema);
      expect(check(body), `${where}: ${JSON.stringify(check.errors)}`).toBe(true);
    }
    return body as Json;
  }

  const call = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, ...rest } = init;
    return harness.app.request(`${server}${path}`, {
      ...rest,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...((rest.headers as Record<string, string>) ?? {}),
      },
    });
  };
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answer as the document says, each status with the documented body', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('a screenshot of the chat'),
    ]);
    const evidence = await answers(
      'post',
      '/evidence',
      await call('/evidence?fileName=chat.png', { method: 'POST', body: png }),
    );
    await answers(
      'post',
      '/evidence',
      await call('/evidence', { method: 'POST', body: Buffer.from('plain text, not a picture') }),
    );
    await answers('post', '/evidence', await call('/evidence', { method: 'POST', body: Buffer.alloc(0) }));

    const created = await answers(
      'post',
      '/reports',
      await postJson('/reports', { ...completeReport(), evidence: [evidence] }, { 'idempotency-key': 'openapi-1' }),
    );
    await answers(
      'post',
      '/reports',
      await postJson('/reports', { ...completeReport(), evidence: [evidence] }, { 'idempotency-key': 'openapi-1' }),
    );
    await answers('post', '/reports', await postJson('/reports', minimalReport(), { 'idempotency-key': 'openapi-1' }));
    await answers(
      'post',
      '/reports',
      await postJson('/reports', minimalReport(), { 'idempotency-key': 'not ascii é' }),
    );
    await answers('post', '/reports', await postJson('/reports', { ...minimalReport(), extra: true }));
    await answers('post', '/reports', await postJson('/reports', '{"consent":'));
    await answers(
      'post',
      '/reports',
      await call('/reports', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }),
    );
    await answers('post', '/reports', await postJson('/reports', 'x'.repeat(1024 * 1024 + 1)));

    const reference = String(created.reference);
    const stored = await answers(
      'get',
      '/reports/{reference}',
      await call(`/reports/${reference}`, { token: adminToken }),
    );
    await answers('get', '/reports/{reference}', await call(`/reports/${reference}`));
    await answers('get', '/reports/{reference}', await call('/reports/RL-0000-0000', { token: adminToken }));

    const agencyId = String(stored.routing.agencies[0].agencyId);
    const agencyToken = (await createApiToken(harness.services.db, { role: 'agency', agencyId })).token;
    await answers('get', '/reports/{reference}', await call(`/reports/${reference}`, { token: agencyToken }));
    const page = await answers('get', '/agency/cases', await call('/agency/cases?limit=5', { token: agencyToken }));
    expect(page.cases.map((item: Json) => item.reference)).toContain(reference);
    await answers('get', '/agency/cases', await call('/agency/cases?limit=0', { token: agencyToken }));
    await answers('get', '/agency/cases', await call('/agency/cases?cursor=nonsense', { token: agencyToken }));
    await answers('get', '/agency/cases', await call('/agency/cases', { token: adminToken }));
    await answers(
      'get',
      '/agency/cases/{reference}',
      await call(`/agency/cases/${reference.toLowerCase()}`, { token: agencyToken }),
    );
    await answers('get', '/agency/cases/{reference}', await call('/agency/cases/RL-0000-0000', { token: agencyToken }));

    for (const format of exportFormats) {
      await answers('get', '/exports/cases', await call(`/exports/cases?format=${format}`, { token: adminToken }));
      await answers(
        'get',
        '/exports/cases',
        await call(`/exports/cases?format=${format}&since=2025-01-01`, { token: agencyToken }),
      );
    }
    await answers('get', '/exports/cases', await call('/exports/cases?format=csv&hxl=1', { token: adminToken }));
    await answers('get', '/exports/cases', await call('/exports/cases?format=json&hxl=1', { token: adminToken }));
    await answers('get', '/exports/cases', await call('/exports/cases?format=xlsx', { token: adminToken }));
    await answers('get', '/exports/cases', await call('/exports/cases?since=yesterday', { token: adminToken }));

    const phone = encodeURIComponent('+855 12 345 678');
    const lookup = await answers(
      'get',
      '/indicators/{kind}/{value}',
      await call(`/indicators/phone/${phone}`, { token: adminToken }),
    );
    expect(lookup.reports.map((item: Json) => item.reference)).toContain(reference);
    await answers(
      'get',
      '/indicators/{kind}/{value}',
      await call('/indicators/phone/012345678?country=kh', { token: adminToken }),
    );
    await answers('get', '/indicators/{kind}/{value}', await call('/indicators/shoe/42', { token: adminToken }));
    await answers('get', '/indicators/{kind}/{value}', await call('/indicators/phone/hello', { token: adminToken }));
    await answers(
      'get',
      '/indicators/{kind}/{value}',
      await call(`/indicators/phone/${phone}`, { token: agencyToken }),
    );

    await answers('get', '/deliveries', await call('/deliveries', { token: adminToken }));
    await answers('get', '/deliveries', await call('/deliveries?status=pending', { token: adminToken }));
    await answers('get', '/deliveries', await call('/deliveries?status=lost', { token: adminToken }));
    await answers('get', '/deliveries', await call('/deliveries', { token: 'not-a-token' }));
    await answers(
      'post',
      '/deliveries/{id}/retry',
      await call('/deliveries/no-such-delivery/retry', { method: 'POST', token: adminToken }),
    );
    await answers(
      'post',
      '/deliveries/{id}/retry',
      await call('/deliveries/no-such-delivery/retry', { method: 'POST', token: agencyToken }),
    );

    const served = await answers('get', '/openapi.json', await call('/openapi.json'));
    expect(served).toEqual(document);
    await answers('get', '/docs', await call('/docs'));
  });

  it('answer 429 with Retry-After once a client has created too much', async () => {
    const limited = await openConsoleHarness({ REPORTLINE_PUBLIC_WRITES_PER_HOUR: '1' });
    try {
      const post = () =>
        limited.app.request(`${server}/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(minimalReport()),
        });
      await answers('post', '/reports', await post());
      await answers('post', '/reports', await post());
      const upload = () => limited.app.request(`${server}/evidence`, { method: 'POST', body: Buffer.alloc(0) });
      await answers('post', '/evidence', await upload());
      const refused = await upload();
      expect(refused.status).toBe(429);
      await answers('post', '/evidence', refused);
    } finally {
      await limited.close();
    }
  });

  it('serve a page that lists every operation, its parameters and answers, with no script and a style allowed by its hash', async () => {
    const response = await call('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const page = await response.text();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/https?:\/\//);
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const section =
          new RegExp(`<section class="operation" id="${operation.operationId}">([\\s\\S]*?)</section>`).exec(
            page,
          )?.[1] ?? '';
        expect(section, `${method} ${path}`).toContain(`<code>${server}${path}</code>`);
        expect(section).toContain(`<span class="method">${method}</span>`);
        for (const parameter of (operation.parameters ?? []) as Json[])
          expect(section, `${path} ${parameter.name}`).toContain(`<code>${parameter.name}</code>`);
        for (const status of Object.keys(operation.responses))
          expect(section, `${path} ${status}`).toContain(`<td>${status}</td>`);
      }
    }
  });
});
