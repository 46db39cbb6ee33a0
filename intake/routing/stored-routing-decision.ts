import { z } from 'zod';
import type { RoutedAgency, RoutingDecision, RoutingReason } from './route-report.js';

const routingReasonSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.string()),
  text: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<RoutingReason>;

const routedAgencySchema = z.object({
  agencyId: z.string(),
  role: z.enum(['primary', 'copy']),
  reason: routingReasonSchema,
}) satisfies z.ZodType<RoutedAgency>;

export const routingDecisionSchema = z.object({
  urgent: z.boolean(),
  withheld: z.boolean(),
  primary: routedAgencySchema.optional(),
  copies: z.array(routedAgencySchema),
}) satisfies z.ZodType<RoutingDecision>;

/**
 * A routing decision as it is kept (encrypted) with its report. The version
 * says which shape `decision` has, so a later shape can be read next to the
 * rows written before it.
 */
export const storedRoutingDecisionSchema = z.object({
  version: z.literal(1),
  decision: routingDecisionSchema,
});

export type StoredRoutingDecision = z.infer<typeof storedRoutingDecisionSchema>;

/**
 * Rows written before decisions carried a version hold the bare decision:
 * that is version 1's shape, so they read as version 1.
 */
const readableRoutingDecisionSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !('version' in value) ? { version: 1, decision: value } : value,
  storedRoutingDecisionSchema,
);

export class UnreadableRoutingDecisionError extends Error {
  readonly code = 'routing.unreadable_decision';
}

/** What the store writes for a decision. */
export function storedRoutingDecision(decision: RoutingDecision): StoredRoutingDecision {
  return { version: 1, decision };
}

/** The decision a stored value holds, whichever version wrote it. */
export function readStoredRoutingDecision(value: unknown): RoutingDecision {
  const parsed = readableRoutingDecisionSchema.safeParse(value);
  // Only the paths of what failed are named: the decision itself is personal data.
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new UnreadableRoutingDecisionError(`a stored routing decision does not have a known shape (${paths})`);
  }
  return parsed.data.decision;
}
