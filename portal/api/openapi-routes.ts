import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { i18n } from 'i18next';
import { buildOpenApiDocument } from './openapi-document.js';

export interface OpenApiRoutesDependencies {
  i18n: i18n;
}

type Json = Record<string, unknown>;

const styleSheet = `
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: #1b1b1b; background: #fff; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem; }
a { color: #0b5394; }
code { font-family: ui-monospace, "Cascadia Mono", "Noto Sans Mono", monospace; font-size: .92em; overflow-wrap: anywhere; }
section.operation { border-top: 2px solid #c8c8c8; margin-top: 2rem; }
.method { display: inline-block; min-width: 4rem; font-weight: 700; text-transform: uppercase; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: start; vertical-align: top; border-bottom: 1px solid #e0e0e0; padding: .3rem .5rem; }
td table { margin: .25rem 0; }
.muted { color: #4a4a4a; }
`;
const styleHash = createHash('sha256').update(styleSheet).digest('base64');

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Plain text with `code` spans and paragraphs, as the document's descriptions are written. */
const prose = (text: unknown) =>
  typeof text === 'string'
    ? text
        .split(/\n{2,}/)
        .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
        .join('')
    : '';

const inline = (text: unknown) =>
  typeof text === 'string' ? escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>') : '';

const anchorOf = (ref: string) => `schema-${ref.split('/').pop()}`;

/** One line saying what a JSON Schema takes, and a table of its fields when it is an object. */
function describeSchema(schema: Json | undefined, depth = 0): string {
  if (!schema || Object.keys(schema).length === 0) return 'anything';
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return `<a href="#${anchorOf(schema.$ref)}">${escapeHtml(name)}</a>${schema.description ? ` <span class="muted">${inline(schema.description)}</span>` : ''}`;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options))
      return options.map((option) => describeSchema(option as Json, depth)).join(' <em>or</em> ');
  }
  const facts: string[] = [];
  const type = Array.isArray(schema.type)
    ? schema.type.join(' or ')
    : typeof schema.type === 'string'
      ? schema.type
      : '';
  if (Array.isArray(schema.enum))
    facts.push(`one of ${schema.enum.map((value) => `<code>${escapeHtml(String(value))}</code>`).join(', ')}`);
  else if ('const' in schema) facts.push(`<code>${escapeHtml(JSON.stringify(schema.const))}</code>`);
  else if (type) facts.push(escapeHtml(type));
  if (typeof schema.format === 'string') facts.push(`format ${escapeHtml(schema.format)}`);
  if (typeof schema.minLength === 'number' || typeof schema.maxLength === 'number') {
    facts.push(`${schema.minLength ?? 0} to ${schema.maxLength ?? '∞'} characters`);
  }
  if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number')
    facts.push(`from ${schema.minimum ?? '−∞'} to ${schema.maximum ?? '∞'}`);
  if (typeof schema.exclusiveMinimum === 'number') facts.push(`more than ${schema.exclusiveMinimum}`);
  if (typeof schema.pattern === 'string' && typeof schema.format !== 'string')
    facts.push(`matching <code>${escapeHtml(schema.pattern)}</code>`);
  if (typeof schema.maxItems === 'number') facts.push(`at most ${schema.maxItems} items`);
  if ('default' in schema) facts.push(`default <code>${escapeHtml(JSON.stringify(schema.default))}</code>`);
  if (schema.additionalProperties === false) facts.push('no other fields');
  let text = facts.join(', ');
  if (schema.description) text += ` <span class="muted">${inline(schema.description)}</span>`;
  if (schema.type === 'array' && schema.items) text += `<br>of: ${describeSchema(schema.items as Json, depth + 1)}`;
  if (schema.properties && typeof schema.properties === 'object') text += propertiesTable(schema, depth + 1);
  return text;
}

function propertiesTable(schema: Json, depth: number): string {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const rows = Object.entries(schema.properties as Record<string, Json>).map(
    ([name, property]) =>
      `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? ' (required)' : ''}</td><td>${describeSchema(property, depth)}</td></tr>`,
  );
  return `<table><thead><tr><th scope="col">Field</th><th scope="col">What it takes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The document as a page: every operation with its parameters, body and answers, then the named schemas. */
export function renderApiDocs(document: Json): string {
  const info = document.info as Json;
  const server = ((document.servers as Json[] | undefined)?.[0]?.url as string | undefined) ?? '';
  const components = (document.components ?? {}) as {
    schemas?: Record<string, Json>;
    responses?: Record<string, Json>;
  };
  const resolveResponse = (response: Json) =>
    typeof response.$ref === 'string' ? (components.responses?.[response.$ref.split('/').pop()!] ?? {}) : response;
  // Every error has one shape: it is written out once, and each answer names only its codes.
  let errorShape: Json | undefined;
  const errorCodes = (schema: Json | undefined): unknown[] | undefined => {
    const codes = (schema?.properties as Json | undefined)?.error as Json | undefined;
    const code = ((codes?.properties as Json | undefined)?.code as Json | undefined)?.enum;
    if (!Array.isArray(code)) return undefined;
    errorShape ??= schema;
    return code;
  };
  const contentList = (content: unknown) =>
    content && typeof content === 'object'
      ? Object.entries(content as Record<string, Json>)
          .map(([type, media]) => {
            const codes = errorCodes(media.schema as Json | undefined);
            const body = codes
              ? `<a href="#errors">the error</a>, <code>code</code> ${codes.map((code) => `<code>${escapeHtml(String(code))}</code>`).join(' or ')}`
              : media.schema
                ? describeSchema(media.schema as Json)
                : 'any bytes';
            return `<div><code>${escapeHtml(type)}</code>: ${body}</div>`;
          })
          .join('')
      : '';

  const operations: string[] = [];
  const index: string[] = [];
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const id = String(operation.operationId);
      index.push(
        `<li><a href="#${escapeHtml(id)}"><span class="method">${escapeHtml(method)}</span> <code>${escapeHtml(server + path)}</code></a> ${inline(operation.summary)}</li>`,
      );
      const security = Array.isArray(operation.security) && operation.security.length > 0;
      const parameters = (operation.parameters as Json[] | undefined) ?? [];
      const body = operation.requestBody as Json | undefined;
      const responses = Object.entries(operation.responses as Record<string, Json>);
      operations.push(`<section class="operation" id="${escapeHtml(id)}">
<h2><span class="method">${escapeHtml(method)}</span> <code>${escapeHtml(server + path)}</code></h2>
<p><strong>${inline(operation.summary)}</strong></p>
${prose(operation.description)}
<p>${security ? 'Needs <code>Authorization: Bearer &lt;token&gt;</code>.' : 'No token needed.'}</p>
${
  parameters.length
    ? `<h3>Parameters</h3><table><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">What it takes</th></tr></thead><tbody>${parameters
        .map(
          (parameter) =>
            `<tr><td><code>${escapeHtml(String(parameter.name))}</code>${parameter.required ? ' (required)' : ''}</td><td>${escapeHtml(String(parameter.in))}</td><td>${describeSchema(parameter.schema as Json)}${parameter.description ? ` <span class="muted">${inline(parameter.description)}</span>` : ''}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : ''
}
${body ? `<h3>Request body</h3>${prose(body.description)}${contentList(body.content)}` : ''}
<h3>Responses</h3>
<table><thead><tr><th scope="col">Status</th><th scope="col">Meaning</th><th scope="col">Body</th></tr></thead><tbody>${responses
        .map(([status, raw]) => {
          const response = resolveResponse(raw);
          const headers = response.headers
            ? Object.keys(response.headers as Json)
                .map((name) => `<div>Header <code>${escapeHtml(name)}</code></div>`)
                .join('')
            : '';
          return `<tr><td>${escapeHtml(status)}</td><td>${prose(response.description)}${headers}</td><td>${contentList(response.content)}</td></tr>`;
        })
        .join('')}</tbody></table>
</section>`);
    }
  }

  const schemas = Object.entries(components.schemas ?? {}).map(
    ([name, schema]) =>
      `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${describeSchema(schema)}</section>`,
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(String(info.title))}</title>
<style>${styleSheet}</style>
</head>
<body>
<main>
<h1>${escapeHtml(String(info.title))}</h1>
${prose(info.description)}
<p>The same as a machine reads it: <a href="${escapeHtml(server)}/openapi.json"><code>${escapeHtml(server)}/openapi.json</code></a> (OpenAPI ${escapeHtml(String(document.openapi))}).</p>
<h2>Operations</h2>
<ul>${index.join('')}</ul>
${operations.join('\n')}
${errorShape ? `<h2 id="errors">Errors</h2>${describeSchema(errorShape)}` : ''}
<h2>Schemas</h2>
${schemas.join('\n')}
</main>
</body>
</html>`;
}

/**
 * `GET /openapi.json` (the document) and `GET /docs` (the same, as a page:
 * no script, its one style sheet allowed by its hash), under `/api/v1`.
 */
export function createOpenApiRoutes({ i18n }: OpenApiRoutesDependencies) {
  const english = i18n.getFixedT('en', 'api');
  const document = buildOpenApiDocument({ errorMessage: (code) => english(`errors.${code}`) });
  const page = renderApiDocs(document);
  const api = new Hono();

  api.get('/openapi.json', (c) => c.json(document));

  api.get(
    '/docs',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: [`'sha256-${styleHash}'`],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
    }),
    (c) => c.html(page),
  );

  return api;
}
