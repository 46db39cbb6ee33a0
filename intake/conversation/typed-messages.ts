import type { ConversationDeps, ConversationState, DraftReport, TypedAnswer } from './conversation-types.js';
import { questionById } from './questionnaire.js';

/**
 * Which question each typed message answered, so that when the person edits
 * the message (Telegram) or takes it back (LINE "unsend"), what it put in the
 * report is replaced or removed, not left standing beside the correction.
 */

/** How many typed messages are remembered: a long conversation forgets its oldest. */
const maxTyped = 100;

export function rememberTyped(
  state: ConversationState,
  messageId: string | undefined,
  questionId: string,
  text: string,
) {
  if (!messageId) return state;
  const typed = [...(state.typed ?? []).filter((entry) => entry.messageId !== messageId)];
  typed.push({ messageId, field: questionId, text });
  return { ...state, typed: typed.slice(-maxTyped) };
}

export function typedAnswer(state: ConversationState, messageId: string): TypedAnswer | undefined {
  return state.typed?.find((entry) => entry.messageId === messageId);
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutText(whole: string, part: string): string | undefined {
  const left = whole
    .replace(part, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return left.length > 0 ? left : undefined;
}

/** The draft without what `derived` (one answer applied to an empty draft) put there. */
function removeDerived(current: unknown, derived: unknown, key: string): unknown {
  if (Array.isArray(derived) && Array.isArray(current)) {
    const drop = new Set(derived.map((item) => JSON.stringify(item)));
    return current.filter((item) => !drop.has(JSON.stringify(item)));
  }
  if (isObject(derived) && isObject(current)) {
    const next: Json = { ...current };
    for (const [field, value] of Object.entries(derived)) {
      const kept = removeDerived(current[field], value, field);
      if (kept === undefined) delete next[field];
      else next[field] = kept;
    }
    return next;
  }
  if (key === 'narrative' && typeof current === 'string' && typeof derived === 'string')
    return withoutText(current, derived);
  return current === derived ? undefined : current;
}

/**
 * The state with one typed answer replaced by `text`, or removed when `text`
 * is undefined. The answer is applied to an empty draft to learn what it
 * contributed; that is taken out, and the new text applied in its place.
 */
export function replaceTypedAnswer(
  state: ConversationState,
  entry: TypedAnswer,
  text: string | undefined,
  deps: ConversationDeps,
): ConversationState {
  const question = questionById(entry.field);
  if (!question || question.kind !== 'text') return state;
  const blank: ConversationState = {
    ...state,
    draft: { channel: state.draft.channel, language: state.draft.language, victim: state.draft.victim },
    found: [],
    unresolved: [],
  };
  const derived = question.apply(blank, entry.text, deps).draft;
  const { channel, language, victim, ...contributed } = derived;
  void channel;
  void language;
  void victim;
  const without = removeDerived(state.draft, contributed, '') as DraftReport;
  const unresolved = (state.unresolved ?? []).filter((item) => item.text !== entry.text);
  const typed = (state.typed ?? []).filter((item) => item.messageId !== entry.messageId);
  const cleared: ConversationState = { ...state, draft: without, unresolved, typed };
  if (text === undefined) return cleared;
  if (question.id === 'narrative') {
    // The story may hold later answers too: the edited part is replaced where it stands.
    const story = state.draft.incident?.narrative ?? '';
    const narrative = story.includes(entry.text) ? story.replace(entry.text, text) : text;
    const draft = { ...state.draft, incident: { ...state.draft.incident, narrative } };
    return { ...state, draft, typed: [...typed, { ...entry, text }] };
  }
  const applied = question.apply(cleared, text, deps);
  return { ...applied, found: state.found, typed: [...typed, { ...entry, text }] };
}
