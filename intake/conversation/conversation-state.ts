import { z } from 'zod';
import { languageCodes } from '../i18n/languages.js';
import { channels } from '../report/report-schema.js';
import type { ConversationState } from './conversation-types.js';

/**
 * The stored state is checked before it is used: a row written by an older
 * version, or damaged, starts a fresh conversation instead of crashing the
 * bot for that person.
 */
const stateSchema = z.object({
  version: z.literal(1),
  channel: z.enum(channels),
  language: z.enum(languageCodes),
  mode: z.enum(['report', 'status', 'add', 'finished', 'check']),
  step: z.string().min(1),
  history: z.array(z.string()),
  draft: z.record(z.string(), z.unknown()),
  found: z.array(
    z.object({ kind: z.string(), value: z.string(), original: z.string(), validity: z.string(), source: z.string() }),
  ),
  returnToSummary: z.boolean(),
  submitted: z.object({ reference: z.string(), receiptCode: z.string() }).optional(),
  submissions: z.number().int().min(0),
  lookup: z.object({ reference: z.string().optional(), receiptCode: z.string().optional() }),
  resumeStep: z.string().optional(),
  suggestedCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  inDanger: z.enum(['me', 'someoneElse']).optional(),
  amendments: z.number().int().min(0).optional(),
  unresolved: z
    .array(z.object({ source: z.string(), text: z.string() }))
    .max(50)
    .optional(),
  typed: z
    .array(z.object({ messageId: z.string(), field: z.string(), text: z.string() }))
    .max(100)
    .optional(),
  earlyWords: z.string().max(20_000).optional(),
  checkReturn: z.object({ mode: z.enum(['report', 'status', 'add', 'finished']), step: z.string().min(1) }).optional(),
});

export function parseConversationState(stored: unknown): ConversationState | undefined {
  const result = stateSchema.safeParse(stored);
  return result.success ? (result.data as unknown as ConversationState) : undefined;
}
