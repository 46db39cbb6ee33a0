import type { ConversationOutput, DraftReport } from './conversation-types.js';

/**
 * The recovery-scam shield, the reporter's side: whoever lost money is found next by "recovery agents" who ask a
 * fee to get it back. Every reporter who told of a payment is told once, in their language, that nobody can.
 */

/** The shared text (`messages` namespace): the chat, the form's receipt page and the status page say the same. */
export const recoveryShieldKey = 'messages:check.recoveryShield';

/** The receipt's own advice that says the same in fewer words: left out when the shield is shown beside it. */
const sameAdvice = 'advice.recoveryScam';

/** Whether a report tells of money paid (a payment with an amount). */
export function reportsLostMoney(report: { losses?: { payments?: readonly unknown[] } | undefined }): boolean {
  return (report.losses?.payments ?? []).length > 0;
}

/**
 * The receipt's advice and what follows it: for a report with a loss, the shield as one message of its own after
 * the receipt (never in the urgent burst, which ends before any receipt), and the receipt's shorter line dropped.
 */
export function withRecoveryShield(
  draft: DraftReport,
  adviceKeys: string[],
): { adviceKeys: string[]; shield: ConversationOutput[] } {
  if (!reportsLostMoney(draft)) return { adviceKeys, shield: [] };
  return {
    adviceKeys: adviceKeys.filter((key) => key !== sameAdvice),
    shield: [{ type: 'text', key: recoveryShieldKey }],
  };
}
