import { z } from 'zod';
import { stixMediaType } from '../../intake/delivery/exports/cases-stix.js';
import { exportFormats, type ExportFormat } from '../../intake/delivery/exports/export-cases.js';
import { indicatorKinds } from '../../intake/indicators/indicator.js';
import {
  evidenceSchema,
  reportInputSchema,
  reportStatuses,
  screeningIndicators,
} from '../../intake/report/report-schema.js';
import { traffickingRuleId } from '../../intake/report/trafficking-screening.js';
import type { TokenRole } from '../../intake/store/api-tokens.js';
import { agencyCaseParamsSchema, agencyCasesQuerySchema, caseExportQuerySchema } from './agency-api.js';
import { deliveriesQuerySchema, deliveryParamsSchema, deliveryStatuses } from './deliveries-api.js';
import { evidenceQuerySchema } from './evidence-api.js';
import { indicatorParamsSchema, indicatorQuerySchema } from './indicators-api.js';
import { checkAnswerSchema, checkRequestSchema, maxCheckBodyBytes } from './checks-api.js';
import { checkRangeAnswerSchema, checkRangeParamsSchema, checkRangeRoles } from './check-range-api.js';
import { maxReportBodyBytes, reportHeadersSchema, reportParamsSchema } from './reports-api.js';

/**
 * The OpenAPI 3.1 description of the JSON API under `/api/v1`, built from the
 * zod schemas the routes validate with (the report body, every query, path
 * parameter and header a route reads) and from zod schemas of what the routes
 * answer. Nothing here is written twice: a field added to a schema appears in
 * the document, and a route added without an operation here fails the test
 * that compares this document with the routes the portal serves.
 */

// ---------------------------------------------------------------------------
// What the routes answer.

const timestamp = z
  .string()
  .meta({ description: 'An ISO 8601 date and time (UTC).', examples: ['2025-09-12T08:30:00.000Z'] });
const reference = z.string().meta({ description: 'The public report reference.', examples: ['RL-7K3M-Q9TX'] });

export const validationIssueSchema = z.object({
  path: z
    .string()
    .meta({ description: 'Dotted path of the field, e.g. `losses.payments.0.currency`; empty for the whole body.' }),
  code: z
    .string()
    .meta({ description: 'A stable code, e.g. `invalid_value`, `invalid_type`, `unrecognized_keys`, `too_big`.' }),
  message: z.string(),
});

/** Every error of the API: `{"error":{"code","message","issues"?}}` (see api-error.ts). */
export function apiErrorSchema(codes: readonly [string, ...string[]]) {
  return z.strictObject({
    error: z.strictObject({
      code: z.enum(codes).meta({ description: 'Stable, for programs.' }),
      message: z.string().meta({ description: "For people, in the caller's language (Accept-Language)." }),
      issues: z
        .array(validationIssueSchema)
        .optional()
        .meta({ description: 'For bad input: each problem, with the path of its field.' }),
    }),
  });
}

export const reportCreatedSchema = z.object({
  reference,
  receiptCode: z.string().meta({
    description:
      'Shown once: with it the reporter follows the report on the status page. Only its keyed hash is stored.',
    examples: ['4XK9-M2QD-7TRB'],
  }),
  urgent: z.boolean().meta({ description: 'Someone is in danger now or held: the report is handled first.' }),
});

export const indicatorSchema = z.object({
  kind: z.enum(indicatorKinds),
  value: z.string().meta({ description: 'Normalized: the same for every way of writing it.' }),
  original: z.string().meta({ description: 'As the reporter wrote it.' }),
  validity: z.enum(['valid', 'plausible', 'invalid']),
  source: z.string().meta({ description: 'Where it was found, e.g. `suspects.phones.0` or `incident.narrative`.' }),
});

const sharedIndicator = z.object({ kind: z.enum(indicatorKinds), value: z.string() });

export const reportSchema = reportInputSchema.extend({
  id: z.string(),
  reference,
  status: z.enum(reportStatuses),
  urgent: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const linkedReportSchema = z.object({
  reportId: z.string(),
  reference,
  createdAt: timestamp,
  shared: z.array(sharedIndicator).meta({ description: 'The indicators this report shares with the one asked about.' }),
  byHand: z.boolean().optional().meta({ description: 'Linked by a person rather than by what the reports share.' }),
});

export const deliveryStateSchema = z.object({
  id: z.string(),
  agencyId: z.string(),
  method: z.string(),
  status: z.enum(deliveryStatuses),
  attempts: z.number().int().min(0),
  nextAttemptAt: timestamp,
  lastError: z.string().nullable(),
  deliveredAt: timestamp.nullable(),
});

export const storedReportSchema = z.object({
  report: reportSchema,
  indicators: z.array(indicatorSchema),
  linkedReports: z.array(linkedReportSchema),
  routing: z
    .object({
      decision: z.unknown().meta({ description: 'The routing decision as it was taken.' }),
      withheld: z.boolean().meta({ description: 'Not shared with any agency (no consent).' }),
      agencies: z.array(z.object({ agencyId: z.string(), role: z.string() })),
      plannedAt: timestamp,
      plannedBy: z.string(),
      explanation: z
        .array(z.string())
        .meta({ description: "The decision in plain sentences, in the caller's language." }),
    })
    .nullable(),
  deliveries: z.array(deliveryStateSchema),
});

export const caseDocumentSchema = z.object({
  reference,
  createdAt: timestamp,
  updatedAt: timestamp,
  status: z.string(),
  urgent: z.boolean(),
  category: z.string().nullable(),
  role: z.string().meta({ description: 'Why this agency has the case: `primary` or `copy`.' }),
  routing: z.unknown(),
  report: reportInputSchema.meta({ description: 'The whole report, as validated (every section present).' }),
  indicators: z.array(indicatorSchema),
  linkedReports: z.array(z.object({ reference, shared: z.array(sharedIndicator) })),
  linkedElsewhere: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'Linked reports routed only to other agencies: only their number.' }),
  amendments: z
    .array(z.object({ version: z.number().int().min(1), amendedAt: timestamp, fields: z.array(z.string()) }))
    .meta({ description: 'Every amendment, oldest first, with the field paths it changed (`report` is the latest).' }),
  withdrawnAt: timestamp.nullable().meta({
    description: 'When the reporter withdrew the case (`case.withdrawn`); the hotline keeps it. Null while it stands.',
  }),
  trafficking: z
    .object({
      likelyVictim: z.boolean(),
      indicators: z.array(z.enum(screeningIndicators)),
      skipped: z.boolean(),
      forcedToScam: z.boolean(),
      rule: z.literal(traffickingRuleId),
      nonPunishment: z.array(z.string()).nullable(),
    })
    .nullable()
    .meta({
      description:
        'The trafficking screening: likely trafficking victim (one strong forced-labour indicator or two medium), the indicators that matched, and when likely the sources of the non-punishment principle (a victim forced to scam is not to be treated as an offender). Null when never offered.',
    }),
});

export const casePageSchema = z.object({
  cases: z.array(caseDocumentSchema),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass it as `cursor` for the next page; null on the last page.' }),
});

export const caseExportSchema = z.object({ exportedAt: timestamp, cases: z.array(caseDocumentSchema) });

const mispAttribute = z.object({
  type: z.string(),
  object_relation: z.string().optional(),
  value: z.string(),
  category: z.string().optional(),
  to_ids: z.boolean().optional(),
  comment: z.string().optional(),
});

export const mispEventSchema = z.object({
  Event: z.object({
    uuid: z.string(),
    info: z.string(),
    date: z.string(),
    threat_level_id: z.string(),
    analysis: z.string(),
    distribution: z.string(),
    Tag: z.array(z.object({ name: z.string() })),
    Attribute: z.array(mispAttribute),
    Object: z.array(
      z.object({
        name: z.string(),
        'meta-category': z.string(),
        template_uuid: z.string().optional(),
        comment: z.string(),
        Attribute: z.array(mispAttribute),
      }),
    ),
  }),
});

export const stixBundleSchema = z
  .object({
    type: z.literal('bundle'),
    id: z.string(),
    objects: z.array(
      z
        .object({ type: z.string(), id: z.string() })
        .meta({ description: 'A STIX 2.1 object, with the properties its type has.' }),
    ),
  })
  .meta({ description: 'A STIX 2.1 bundle.' });

export const indicatorLookupSchema = z.object({
  indicator: z.object({
    kind: z.enum(indicatorKinds),
    value: z.string(),
    validity: z.enum(['valid', 'plausible', 'invalid']),
  }),
  linksReports: z.boolean().meta({
    description: 'False for kinds that never link reports (amounts) and for values staff marked as not linking.',
  }),
  reports: z.array(z.object({ reportId: z.string(), reference, createdAt: timestamp, validity: z.string() })),
});

export const deliveryListSchema = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      reference,
      agencyId: z.string(),
      method: z.string(),
      status: z.enum(deliveryStatuses),
      attempts: z.number().int().min(0),
      lastError: z.string().nullable(),
      nextAttemptAt: timestamp,
      urgent: z.boolean(),
    }),
  ),
});

export const deliveryRetriedSchema = z.object({ status: z.literal('pending') });

/** The schemas the document names under `components/schemas`. */
const named: Array<[string, z.ZodType]> = [
  ['ReportInput', reportInputSchema],
  ['Evidence', evidenceSchema],
  ['ReportCreated', reportCreatedSchema],
  ['Report', reportSchema],
  ['Indicator', indicatorSchema],
  ['LinkedReport', linkedReportSchema],
  ['DeliveryState', deliveryStateSchema],
  ['StoredReport', storedReportSchema],
  ['CaseDocument', caseDocumentSchema],
  ['CasePage', casePageSchema],
  ['CaseExport', caseExportSchema],
  ['MispEvent', mispEventSchema],
  ['StixBundle', stixBundleSchema],
  ['IndicatorLookup', indicatorLookupSchema],
  ['DeliveryList', deliveryListSchema],
  ['DeliveryRetried', deliveryRetriedSchema],
];

/**
 * What each export format answers with. A format added to `exportFormats` is
 * listed in the document at once, and must be described here too (a test
 * fails until it is).
 */
export const exportResponses: Partial<
  Record<ExportFormat, { mediaType: string; schema: z.ZodType; description: string }>
> = {
  csv: { mediaType: 'text/csv', schema: z.string(), description: 'A spreadsheet: one row per case (`format=csv`).' },
  json: { mediaType: 'application/json', schema: caseExportSchema, description: 'The case documents (`format=json`).' },
  misp: {
    mediaType: 'application/json',
    schema: mispEventSchema,
    description: 'The indicators as one MISP event (`format=misp`).',
  },
  stix: {
    mediaType: stixMediaType.split(';')[0]!,
    schema: stixBundleSchema,
    description: `The cases and their indicators as one STIX 2.1 bundle (\`format=stix\`, Content-Type \`${stixMediaType}\`).`,
  },
};

const describedExports = exportFormats.flatMap((format) => exportResponses[format] ?? []);

// ---------------------------------------------------------------------------
// The operations.

type Json = Record<string, unknown>;

interface ErrorAnswer {
  /** The error codes this status carries for this operation. */
  codes: readonly [string, ...string[]];
  headers?: Record<string, { description: string; schema: z.ZodType }>;
}

/** A body's schema: one, one of several (`anyOf`), or none (any bytes). */
type BodySchema = z.ZodType | z.ZodType[] | undefined;

interface Answer {
  description: string;
  content?: Record<string, BodySchema>;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
}

interface Operation {
  method: 'get' | 'post';
  /** As OpenAPI writes it, relative to the server `/api/v1`: `/reports/{reference}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  /** The token roles that may call it; absent for a public operation. */
  roles?: readonly TokenRole[];
  params?: { path?: z.ZodObject; query?: z.ZodObject; header?: z.ZodObject };
  body?: { description: string; content: Record<string, BodySchema> };
  answers: Record<number, Answer | ErrorAnswer>;
}

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before the next try.', schema: z.number().int() } };
const unauthorized: ErrorAnswer = {
  codes: ['unauthorized'],
  headers: { 'WWW-Authenticate': { description: '`Bearer`', schema: z.literal('Bearer') } },
};
const forbidden: ErrorAnswer = { codes: ['forbidden'] };
const notFound: ErrorAnswer = { codes: ['not_found'] };
const internal: ErrorAnswer = { codes: ['internal'] };
const tooManyRequests: ErrorAnswer = { codes: ['too_many_requests'], headers: retryAfter };
/** Answers many operations give alike, written once under `components/responses`. */
const sharedAnswers = new Map<ErrorAnswer, string>([
  [unauthorized, 'Unauthorized'],
  [forbidden, 'Forbidden'],
  [notFound, 'NotFound'],
  [tooManyRequests, 'TooManyRequests'],
  [internal, 'InternalError'],
]);

export const operations: readonly Operation[] = [
  {
    method: 'post',
    path: '/reports',
    operationId: 'createReport',
    tag: 'Reports',
    summary: 'Submit a report',
    description:
      'Stores a report, routes it and answers its reference and the receipt code. No token is needed; a client may create a limited number of reports an hour. Files are uploaded first with `POST /evidence` and named in `evidence`.',
    params: { header: reportHeadersSchema },
    body: {
      description: `The report as JSON, at most ${maxReportBodyBytes / 1024 / 1024} MiB (Content-Type \`application/json\` or any \`application/*+json\`). Unknown fields are refused.`,
      content: { 'application/json': reportInputSchema },
    },
    answers: {
      201: {
        description: 'Stored (or, with an Idempotency-Key already used for the same report, the first answer again).',
        content: { 'application/json': reportCreatedSchema },
        headers: {
          'Idempotent-Replayed': {
            description: '`true` when this answers an earlier request with the same Idempotency-Key.',
            schema: z.literal('true'),
          },
        },
      },
      400: { codes: ['invalid_report', 'malformed_json', 'invalid_idempotency_key'] },
      413: { codes: ['body_too_large'] },
      415: { codes: ['unsupported_media_type'] },
      422: { codes: ['idempotency_key_reused'] },
      429: tooManyRequests,
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/reports/{reference}',
    operationId: 'getReport',
    tag: 'Reports',
    summary: 'Read a report',
    description:
      'The whole report with its indicators, the reports it is linked to, its routing and deliveries. Reading it is recorded in the audit log.',
    roles: ['admin'],
    params: { path: reportParamsSchema },
    answers: {
      200: { description: 'The report.', content: { 'application/json': storedReportSchema } },
      401: unauthorized,
      403: forbidden,
      404: notFound,
      500: internal,
    },
  },
  {
    method: 'post',
    path: '/evidence',
    operationId: 'uploadEvidence',
    tag: 'Evidence',
    summary: 'Upload a file',
    description:
      "The raw body is the file: an image, a PDF document or a video, up to EVIDENCE_MAX_MB (10 MB unless configured). Its type is read from its bytes, whatever Content-Type says. The answer is the evidence record to put in a report's `evidence` list. No token is needed; a client may upload a limited number of files an hour.",
    params: { query: evidenceQuerySchema },
    body: { description: 'The file itself.', content: { 'application/octet-stream': undefined } },
    answers: {
      201: { description: 'Stored.', content: { 'application/json': evidenceSchema } },
      400: { codes: ['evidence_empty'] },
      413: { codes: ['evidence_too_large'] },
      415: { codes: ['evidence_type_not_allowed'] },
      429: tooManyRequests,
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/indicators/{kind}/{value}',
    operationId: 'lookUpIndicator',
    tag: 'Indicators',
    summary: 'Reports carrying an indicator',
    description:
      'Every report carrying a phone number, wallet, account or site, for an analyst following one across reports.',
    roles: ['admin'],
    params: { path: indicatorParamsSchema, query: indicatorQuerySchema },
    answers: {
      200: {
        description: 'The indicator as normalized, and the reports that carry it.',
        content: { 'application/json': indicatorLookupSchema },
      },
      400: { codes: ['invalid_indicator'] },
      401: unauthorized,
      403: forbidden,
      500: internal,
    },
  },
  {
    method: 'post',
    path: '/checks',
    operationId: 'checkValues',
    tag: 'Checks',
    summary: 'Check before you pay',
    description:
      'Whether a phone number, wallet, account or site carries a confirmed warning (several distinct reporters and a staff confirmation), with the advice of its category. Never the number or content of reports, never whether one exists. Any valid token (a partner, an agency or an admin); each token may make a limited number of checks.',
    roles: ['admin', 'agency', 'partner'],
    body: {
      description: `JSON, at most ${maxCheckBodyBytes / 1024} KiB. Unknown fields are refused.`,
      content: { 'application/json': checkRequestSchema },
    },
    answers: {
      200: { description: 'The verdicts and advice keys.', content: { 'application/json': checkAnswerSchema } },
      400: { codes: ['invalid_check', 'malformed_json'] },
      401: unauthorized,
      403: forbidden,
      413: { codes: ['check_too_large'] },
      415: { codes: ['check_not_json'] },
      429: { codes: ['check_rate_limited'], headers: retryAfter },
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/check-range/{prefix}',
    operationId: 'checkRange',
    tag: 'Checks',
    summary: 'Confirmed warnings in a hash range (k-anonymity)',
    description:
      'For a bank or messaging app checking its customers\' payees without sending the values: compute hex(HMAC-SHA256(partnerKey, kind + ":" + normalizedValue)) (lower-case hex; the partner key is given by the operator, `reportline check partner-key`; `reportline check hash` shows the normalization: phone in E.164, wallet `tron:`/`bitcoin:`/`evm:` + address, domain lower case, URL canonical, Telegram username lower case without @, bank account `<bank>:<digits>`, IBAN upper case without spaces), send its first five hex digits, and compare your full hash with the answer. Only hashes carrying a confirmed warning are answered. A partner or agency token; each token may make a limited number of queries a minute.',
    roles: checkRangeRoles,
    params: { path: checkRangeParamsSchema },
    answers: {
      200: {
        description: 'The confirmed hashes of the range (often none).',
        content: { 'application/json': checkRangeAnswerSchema },
      },
      400: { codes: ['invalid_check_prefix'] },
      401: unauthorized,
      403: forbidden,
      429: { codes: ['check_range_rate_limited'], headers: retryAfter },
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/agency/cases',
    operationId: 'listAgencyCases',
    tag: 'Agency',
    summary: "The calling agency's cases",
    description:
      'The cases routed to the agency of the token, newest first, a page at a time. Cases withheld for lack of consent are never listed.',
    roles: ['agency'],
    params: { query: agencyCasesQuerySchema },
    answers: {
      200: { description: 'A page of cases.', content: { 'application/json': casePageSchema } },
      400: { codes: ['invalid_query'] },
      401: unauthorized,
      403: forbidden,
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/agency/cases/{reference}',
    operationId: 'getAgencyCase',
    tag: 'Agency',
    summary: 'One case of the calling agency',
    description:
      "Another agency's case answers 404, exactly as a case that does not exist. Reading it is recorded in the audit log.",
    roles: ['agency'],
    params: { path: agencyCaseParamsSchema },
    answers: {
      200: { description: 'The case.', content: { 'application/json': caseDocumentSchema } },
      401: unauthorized,
      403: forbidden,
      404: notFound,
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/exports/cases',
    operationId: 'exportCases',
    tag: 'Exports',
    summary: 'Export cases as a file',
    description:
      "An agency token exports its own agency's cases; an admin token every case that may be shared. At most 10,000 cases: export a longer history in `since` windows.",
    roles: ['admin', 'agency'],
    params: { query: caseExportQuerySchema },
    answers: {
      200: {
        description: describedExports.map((answer) => answer.description).join(' '),
        content: Object.fromEntries(
          [...new Set(describedExports.map((answer) => answer.mediaType))].map((mediaType) => [
            mediaType,
            describedExports.filter((answer) => answer.mediaType === mediaType).map((answer) => answer.schema),
          ]),
        ),
        headers: {
          'Content-Disposition': {
            description: 'An attachment, with a file name that tells the scope and the day.',
            schema: z.string(),
          },
        },
      },
      400: { codes: ['invalid_query'] },
      401: unauthorized,
      403: forbidden,
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/deliveries',
    operationId: 'listDeliveries',
    tag: 'Deliveries',
    summary: 'Deliveries to agencies',
    description:
      'Deliveries that failed after their last try are never silently lost: they are listed here, newest first, with the reason. `status` is the only parameter: any other (`limit`, `status[]`) or `status` given twice is refused with `invalid_query`, not ignored.',
    roles: ['admin'],
    params: { query: deliveriesQuerySchema },
    answers: {
      200: { description: 'The deliveries.', content: { 'application/json': deliveryListSchema } },
      400: { codes: ['invalid_query'] },
      401: unauthorized,
      403: forbidden,
      500: internal,
    },
  },
  {
    method: 'post',
    path: '/deliveries/{id}/retry',
    operationId: 'retryDelivery',
    tag: 'Deliveries',
    summary: 'Put a failed delivery back in the queue',
    description: 'Once the receiving side is fixed.',
    roles: ['admin'],
    params: { path: deliveryParamsSchema },
    answers: {
      200: { description: 'Queued again.', content: { 'application/json': deliveryRetriedSchema } },
      401: unauthorized,
      403: forbidden,
      404: notFound,
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'Documentation',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of this API.',
    answers: {
      200: {
        description: 'The document.',
        content: {
          'application/json': z.object({ openapi: z.string() }).meta({ description: 'An OpenAPI 3.1 document.' }),
        },
      },
      500: internal,
    },
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'getApiDocs',
    tag: 'Documentation',
    summary: 'This document, to read',
    description: 'Every operation with its parameters and answers, as a page.',
    answers: {
      200: { description: 'The page.', content: { 'text/html': z.string() } },
      500: internal,
    },
  },
];

// ---------------------------------------------------------------------------
// From zod to JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1).

const componentRef = (id: string) => `#/components/schemas/${id}`;

function stripRoot(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

/** The named schemas, each referring to the others by `$ref`. */
function componentSchemas(registry: z.core.$ZodRegistry<{ id: string }>): Record<string, Json> {
  // The input side: what a sender may write (a field with a default may be left out).
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'input', uri: componentRef }) as {
    schemas: Record<string, Json>;
  };
  if (schemas.__shared) throw new Error('a schema of the API document could not be named; give it an id');
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, stripRoot(schema)]));
}

export interface OpenApiOptions {
  /** The English message of an error code, to list with the code. */
  errorMessage?: (code: string) => string;
}

/** The document. Every call builds a new object: the caller may change it. */
export function buildOpenApiDocument(options: OpenApiOptions = {}): Json {
  const registry = z.registry<{ id: string }>();
  const ids = new Map<z.ZodType, string>();
  for (const [id, schema] of named) {
    registry.add(schema, { id });
    ids.set(schema, id);
  }
  const schemas = componentSchemas(registry);
  const schemaOf = (schema: z.ZodType): Json => {
    const id = ids.get(schema);
    if (id) return { $ref: componentRef(id) };
    // Not named: written in place (a named schema inside it is written out in full there).
    return stripRoot(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Json);
  };

  const contentOf = (content: Record<string, BodySchema>) =>
    Object.fromEntries(
      Object.entries(content).map(([type, schema]) => [
        type,
        schema === undefined
          ? {}
          : {
              schema: Array.isArray(schema)
                ? schema.length === 1
                  ? schemaOf(schema[0]!)
                  : { anyOf: schema.map(schemaOf) }
                : schemaOf(schema),
            },
      ]),
    );

  const parameters = (where: 'path' | 'query' | 'header', object: z.ZodObject | undefined) =>
    Object.entries(object?.shape ?? {}).map(([name, field]) => {
      const schema = schemaOf(field as z.ZodType);
      const { description, ...rest } = schema;
      return {
        name:
          where === 'header'
            ? name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())
            : name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
      };
    });

  const headersOf = (headers: Answer['headers']) =>
    headers
      ? Object.fromEntries(
          Object.entries(headers).map(([name, header]) => [
            name,
            { description: header.description, schema: schemaOf(header.schema) },
          ]),
        )
      : undefined;

  const errorDescription = (codes: readonly string[]) =>
    codes
      .map((code) => (options.errorMessage ? `\`${code}\`: ${options.errorMessage(code)}` : `\`${code}\``))
      .join('\n\n');

  const response = (answer: Answer | ErrorAnswer, shared = true): Json => {
    const name = sharedAnswers.get(answer as ErrorAnswer);
    if (name && shared) return { $ref: `#/components/responses/${name}` };
    if ('codes' in answer) {
      return {
        description: errorDescription(answer.codes),
        ...(answer.headers ? { headers: headersOf(answer.headers) } : {}),
        content: { 'application/json': { schema: schemaOf(apiErrorSchema(answer.codes)) } },
      };
    }
    return {
      description: answer.description,
      ...(answer.headers ? { headers: headersOf(answer.headers) } : {}),
      ...(answer.content ? { content: contentOf(answer.content) } : {}),
    };
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const operation of operations) {
    const roles = operation.roles;
    const parameterList = [
      ...parameters('path', operation.params?.path),
      ...parameters('query', operation.params?.query),
      ...parameters('header', operation.params?.header),
    ];
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      description: roles ? `${operation.description}\n\nToken role: ${roles.join(' or ')}.` : operation.description,
      security: roles ? [{ bearer: [] }] : [],
      ...(roles ? { 'x-token-roles': [...roles] } : {}),
      ...(parameterList.length ? { parameters: parameterList } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              description: operation.body.description,
              content: contentOf(operation.body.content),
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(operation.answers).map(([status, answer]) => [status, response(answer)]),
      ),
    };
  }

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Reportline API',
      version: '1',
      description:
        'Submit scam and trafficking reports and their files, and, with a token, read reports, follow indicators, receive cases as an agency and watch deliveries. Every error is `{"error":{"code","message","issues"?}}`: `code` is stable, `message` is in the language of Accept-Language.',
    },
    servers: [{ url: '/api/v1' }],
    tags: [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      responses: Object.fromEntries([...sharedAnswers].map(([answer, name]) => [name, response(answer, false)])),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token: `Authorization: Bearer <token>`, of the role each operation names.',
        },
      },
    },
  };
}
