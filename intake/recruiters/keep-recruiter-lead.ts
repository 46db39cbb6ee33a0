import { canonicalJson } from '../report/canonical-json.js';
import type {
  ConversationDeps,
  ConversationInput,
  ConversationOutput,
  ConversationState,
} from '../conversation/conversation-types.js';
import type { RecruiterLead } from './recruiter-lead.js';

interface Turn {
  state: ConversationState;
  outputs: ConversationOutput[];
}

/** Steps where the engine only asks the person to wait: what they send then is not taken (nor is its origin). */
const waitingSteps = new Set(['awaitingEffect', 'awaitingSubmit', 'awaitingUrgentSubmit']);

function withLead(leads: RecruiterLead[] | undefined, lead: RecruiterLead): RecruiterLead[] {
  const list = leads ?? [];
  return list.some((known) => canonicalJson(known) === canonicalJson(lead)) ? list : [...list, lead];
}

/**
 * Keeps whom a forwarded message (its words, or a photo or file forwarded without any) or a shared contact card came
 * from in the report the conversation gathers,
 * beside whatever the engine made of its text: in the draft while the report is gathered, in the report being
 * stored by this very turn, and, once a report is stored, in an amendment of it (the amend operation links it).
 * Only while a report is being made: a message forwarded to a /status or /check question is not a report.
 */
export function keepRecruiterLead(
  before: ConversationState,
  input: ConversationInput,
  turn: Turn,
  deps: Pick<ConversationDeps, 'conversationId' | 'updateKey'>,
): Turn {
  if ((input.type !== 'text' && input.type !== 'file') || !input.forwardedFrom) return turn;
  if (before.mode !== 'report' || waitingSteps.has(before.step) || turn.state.mode !== 'report') return turn;
  const lead = input.forwardedFrom;
  const known = turn.state.draft.suspects?.forwardedFrom;
  if (known?.some((item) => canonicalJson(item) === canonicalJson(lead))) return turn;
  const state: ConversationState = {
    ...turn.state,
    draft: {
      ...turn.state.draft,
      suspects: { ...turn.state.draft.suspects, forwardedFrom: withLead(known, lead) },
    },
  };
  let carried = false;
  const outputs = turn.outputs.map((output): ConversationOutput => {
    if (output.type !== 'effect' || carried) return output;
    const { effect } = output;
    if (effect.kind === 'submit_report') {
      carried = true;
      const suspects = effect.content.suspects ?? {};
      return {
        type: 'effect',
        effect: {
          ...effect,
          content: {
            ...effect.content,
            suspects: { ...suspects, forwardedFrom: withLead(suspects.forwardedFrom, lead) },
          },
        },
      };
    }
    if (effect.kind === 'amend_report') {
      carried = true;
      const suspects = effect.changes.suspects ?? {};
      return {
        type: 'effect',
        effect: {
          ...effect,
          changes: {
            ...effect.changes,
            suspects: { ...suspects, forwardedFrom: withLead(suspects.forwardedFrom, lead) },
          },
        },
      };
    }
    return output;
  });
  if (carried || !state.submitted) return { state, outputs };
  // A stored report and no amendment in this turn (the text answered nothing new): one of its own, keyed like the
  // engine's amendments so a redelivered update amends once.
  const amendments = (state.amendments ?? 0) + 1;
  return {
    state: { ...state, amendments },
    outputs: [
      ...outputs,
      {
        type: 'effect',
        effect: {
          kind: 'amend_report',
          ...state.submitted,
          changes: { suspects: { forwardedFrom: [lead] } },
          key: `${deps.conversationId}:${deps.updateKey ?? 'turn'}:amend:${amendments}`,
        },
      },
    ],
  };
}
