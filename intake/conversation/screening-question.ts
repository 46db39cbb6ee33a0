import { screeningIndicators, type ScreeningIndicator } from '../report/report-schema.js';
import { indicatorsAnsweredElsewhere } from '../report/trafficking-screening.js';
import type { ChoiceOption, ConversationState, DraftReport } from './conversation-types.js';
import { storyPointsToTrafficking } from './screening-cues.js';

/**
 * The trafficking screening in the chat: one list of the forced-labour
 * indicators (`intake/report/trafficking-screening.ts`), asked once, only when
 * the story points that way, after the urgent burst (it sits after the
 * category in the questionnaire). Think of a frightened person on a watched
 * phone: one message, buttons only, each press marks one thing and shows what
 * is left; "that is all", "none of these" or "not now" goes on. Nothing
 * already answered is listed (held is "not free to leave", a passport taken
 * is "documents taken"), and once answered or skipped it is not asked again.
 */

const isIndicator = (value: string): value is ScreeningIndicator =>
  (screeningIndicators as readonly string[]).includes(value);

function draftContent(draft: DraftReport) {
  return { safety: draft.safety ?? {}, screening: draft.screening };
}

/** The indicators still to offer: not picked, not answered by another question. */
export function indicatorsLeft(state: ConversationState): ScreeningIndicator[] {
  const said = new Set<ScreeningIndicator>([
    ...(state.draft.screening?.indicators ?? []),
    ...indicatorsAnsweredElsewhere(draftContent(state.draft)),
  ]);
  return screeningIndicators.filter((indicator) => !said.has(indicator));
}

/** Held, a passport taken, a fake job abroad, or the story's own words: the screening is worth a person's time. */
export function storyCallsForScreening(state: ConversationState): boolean {
  const { draft } = state;
  if (draft.safety?.heldAgainstWill === true || draft.safety?.passportWithheld === true) return true;
  if (draft.incident?.category === 'fake_job_compound') return true;
  return storyPointsToTrafficking([
    draft.incident?.narrative,
    draft.trafficking?.promisedJob,
    draft.trafficking?.debtOrRansomDemanded,
  ]);
}

export function screeningApplies(state: ConversationState): boolean {
  return state.draft.screening === undefined && storyCallsForScreening(state) && indicatorsLeft(state).length > 0;
}

export function screeningOptions(state: ConversationState): ChoiceOption[] {
  const picked = (state.draft.screening?.indicators ?? []).length > 0;
  return [
    ...indicatorsLeft(state).map((indicator) => ({ value: indicator, labelKey: `screening.option.${indicator}` })),
    { value: 'done', labelKey: picked ? 'screening.option.done' : 'screening.option.none' },
    { value: 'skip', labelKey: 'screening.option.notNow' },
  ];
}

/** A press: an indicator is added (and the list shown again with what is left); "done" or "not now" ends it. */
export function applyScreeningAnswer(draft: DraftReport, answer: string): DraftReport {
  const indicators = draft.screening?.indicators ?? [];
  if (isIndicator(answer))
    return { ...draft, screening: { ...draft.screening, indicators: [...new Set([...indicators, answer])] } };
  if (answer === 'skip' && indicators.length === 0) return skipScreening(draft);
  return { ...draft, screening: { ...draft.screening, indicators } };
}

/** Skipped (the button or /skip): recorded, so it is not asked again and staff know it was offered. */
export function skipScreening(draft: DraftReport): DraftReport {
  const indicators = draft.screening?.indicators ?? [];
  return { ...draft, screening: indicators.length > 0 ? { indicators } : { indicators, skipped: true } };
}

/** After a press of an indicator the same list comes again, while something is left to press. */
export function screeningContinues(state: ConversationState, answer: string): boolean {
  return isIndicator(answer) && indicatorsLeft(state).length > 0;
}
