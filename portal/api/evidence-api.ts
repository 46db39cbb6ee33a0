import { Hono } from 'hono';
import type { i18n } from 'i18next';
import { z } from 'zod';
import type { EvidenceSettings } from '../../intake/conversation/evidence-input.js';
import { EvidenceRejectedError, EvidenceWriter } from '../../intake/evidence/evidence-files.js';
import { apiError } from './api-error.js';
import { publicWriteLimit } from './public-write-limit.js';
import type { RateLimits } from '../../intake/limits/rate-limits.js';

export interface EvidenceApiDependencies {
  i18n: i18n;
  /** Where files go and what is taken: images, PDF documents and videos up to EVIDENCE_MAX_MB. */
  evidence: EvidenceSettings;
  publicWritesPerHour: number;
  trustProxy: boolean;
  /** The deployment's shared rate limits (PostgreSQL, Redis or memory); without them each limiter counts alone. */
  limits?: RateLimits | undefined;
}

/** `POST /evidence`: the file's name as the sender knows it. */
export const evidenceQuerySchema = z.object({
  fileName: z.string().optional().meta({
    description:
      "The file's name as the sender knows it, kept without any folder in the record's `fileName`; without it the file is called `evidence.<extension of its type>`.",
  }),
});

const statusOf = { 'evidence.too_large': 413, 'evidence.type_not_allowed': 415, 'evidence.empty': 400 } as const;

/**
 * `POST /api/v1/evidence`: the only way an API caller gives Reportline a
 * file. The raw body is the file (its type is read from the bytes, whatever
 * Content-Type says); it is stored as it arrives and never read past the
 * size limit. The answer is the evidence record to put in a report's
 * `evidence` list: a report naming a file not uploaded this way is refused.
 */
export function createEvidenceApi({
  i18n,
  evidence,
  publicWritesPerHour,
  trustProxy,
  ...shared
}: EvidenceApiDependencies) {
  const writes = { name: 'api.evidence', perHour: publicWritesPerHour, trustProxy, i18n, limits: shared.limits };
  const api = new Hono();
  api.post('/evidence', publicWriteLimit(writes), async (c) => {
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > evidence.limits.maxBytes) return apiError(c, i18n, 413, 'evidence_too_large');
    const fileName = evidenceQuerySchema.parse(c.req.query()).fileName?.slice(0, 200);
    const writer = new EvidenceWriter(evidence.dir, { fileName, limits: evidence.limits });
    let size = 0;
    try {
      const reader = c.req.raw.body?.getReader();
      for (;;) {
        const next = reader ? await reader.read() : undefined;
        if (!next || next.done) break;
        const { value } = next;
        size += value.length;
        writer.write(value);
        // Past the limit nothing more is read: the file is refused as soon as that is known.
        if (size > evidence.limits.maxBytes) {
          await reader?.cancel();
          break;
        }
      }
      const stored = writer.finish();
      return c.json(stored, 201);
    } catch (error) {
      writer.abort();
      if (error instanceof EvidenceRejectedError)
        return apiError(c, i18n, statusOf[error.code], error.code.replace('.', '_'));
      throw error;
    }
  });
  return api;
}
