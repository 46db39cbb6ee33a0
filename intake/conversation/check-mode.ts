import type { CheckAdvice } from '../check/check-types.js';
import type { ConversationInput, ConversationOutput, ConversationState } from './conversation-types.js';
import type { CheckAnswerOutput, CheckResultInput, CheckReturn } from './check-types.js';
import { countryOfLanguageFor } from './check-country-hint.js';

/**
 * "/check": a mode of the conversation. The person is asked what to check, pastes anything (a number written
 * locally, a wallet with spaces, a defanged link), and the runner's effect asks `intake.checks.check()`; the answer
 * comes in their language, with the category's advice, and they are back where they were (a report in progress
 * resumes at its question). What they pasted is only ever in the effect: the state keeps nothing of it.
 */

export const checkSteps = {
  /** Waiting for the thing to check. */
  ask: 'checkText',
} as const;

/** The engine's own step while an effect runs (conversation-engine.ts): a message meanwhile is told to wait. */
const awaitingEffect = 'awaitingEffect';

/** Every advice key, in the order advice is shown in (chat, pages, API): the specific first, the general rule last. */
export const checkAdviceOrder = [
  'job_deposit',
  'withdraw_fee',
  'recovery_fee',
  'general',
] as const satisfies readonly CheckAdvice[];

/** The shared advice texts (the pages and the API read the same ones). */
export const checkAdviceKey = (advice: CheckAdvice) => `messages:check.advice.${advice}`;

/** How many characters of a checked value the answer repeats: enough to tell two apart, too few to be the value. */
const tailLength = 4;

const text = (key: string, params?: Record<string, string>): ConversationOutput => ({
  type: 'text',
  key,
  ...(params ? { params } : {}),
});

export function checkPrompt(): ConversationOutput {
  return text('check.ask');
}

/** Whether the next message is the thing to check (the web chat then keeps it out of the transcript). */
export function isAskingForCheck(state: ConversationState): boolean {
  return state.mode === 'check' && state.step === checkSteps.ask;
}

/** /check: remember where the person was, and ask what to check. Asked again, it simply asks again. */
export function startCheck(state: ConversationState): { state: ConversationState; outputs: ConversationOutput[] } {
  const checkReturn: CheckReturn | undefined =
    state.mode === 'check' ? state.checkReturn : { mode: state.mode, step: state.step };
  return {
    state: { ...state, mode: 'check', step: checkSteps.ask, ...(checkReturn ? { checkReturn } : {}) },
    outputs: [checkPrompt()],
  };
}

/** Back to where /check found the person; `checkReturn` goes, so nothing of the check remains. */
export function leaveCheck(state: ConversationState): ConversationState {
  const { checkReturn, ...rest } = state;
  const back = checkReturn ?? { mode: 'finished' as const, step: 'done' };
  return { ...rest, mode: back.mode, step: back.step };
}

/** Whether leaving the check lands on a question to ask again (a report, a lookup), not on a finished chat. */
export function resumesAQuestion(state: ConversationState): boolean {
  return state.step !== 'done';
}

/**
 * The thing to check: a text goes to the runner's effect, carried by the effect alone. A picture or a location
 * cannot be checked: the person is told to write it, and nothing of their report changes.
 */
export function answerCheck(
  state: ConversationState,
  input: ConversationInput,
): { state: ConversationState; outputs: ConversationOutput[] } {
  if (input.type === 'text' && input.text.trim()) {
    // The person's own country when the conversation knows it, else their language's (a Thai writes Thai numbers).
    const countryHint =
      state.draft.victim?.currentCountry ?? state.suggestedCountry ?? countryOfLanguageFor(state.language);
    return {
      state: { ...state, step: awaitingEffect },
      outputs: [
        {
          type: 'effect',
          effect: { kind: 'check_indicators', text: input.text.trim(), ...(countryHint ? { countryHint } : {}) },
        },
      ],
    };
  }
  if (input.type === 'file' || input.type === 'file_rejected' || input.type === 'location')
    return { state, outputs: [text('check.textOnly'), checkPrompt()] };
  return { state, outputs: [checkPrompt()] };
}

/** The last characters of a value as shown, letters and digits only ("+66 81 234 5678" → "5678"). */
export function tailOf(shown: string): string {
  const characters = [...shown.normalize('NFC')].filter((character) => /[\p{L}\p{N}]/u.test(character));
  return characters.slice(-tailLength).join('');
}

/** The answer as the chat shows it: each verdict by kind and tail, the advice, and (for a warning) the dispute form. */
export function checkAnswerOutputs(
  answer: CheckResultInput['answer'],
  disputeUrl: string | undefined,
): ConversationOutput[] {
  if (answer.kind === 'unavailable') return [text('check.unavailable')];
  if (answer.kind === 'rate_limited')
    return [text('check.rateLimited', { minutes: String(Math.max(1, Math.ceil(answer.retryAfterSeconds / 60))) })];
  if (answer.kind === 'nothing_recognised') return [text('check.nothingRecognised')];
  const advice = new Set(answer.indicators.flatMap((indicator) => indicator.advice));
  if (advice.size === 0) advice.add('general');
  const warned = answer.indicators.some((indicator) => indicator.verdict === 'warning');
  const output: CheckAnswerOutput = {
    type: 'check_answer',
    items: answer.indicators.map((indicator) => ({
      kind: indicator.kind,
      tail: tailOf(indicator.shown),
      verdict: indicator.verdict,
    })),
    adviceKeys: checkAdviceOrder.filter((key) => advice.has(key)).map(checkAdviceKey),
    ...(warned && disputeUrl ? { disputeUrl } : {}),
  };
  return [output];
}

/** The check's answer, then back where the person was. */
export function checkAnswered(
  state: ConversationState,
  input: CheckResultInput,
): { state: ConversationState; outputs: ConversationOutput[] } {
  return { state: leaveCheck(state), outputs: checkAnswerOutputs(input.answer, input.disputeUrl) };
}
