import type { CheckAnswer } from '../check/check-types.js';
import type { IndicatorKind } from '../indicators/indicator.js';

/**
 * The conversation's side of "check before you pay" (/check). What the person pasted travels only in the
 * effect, never in the state: it is not a report and is never stored with who asked.
 */

/** Asked of the runner: look up what the person pasted (`intake.checks.check()`). */
export interface CheckEffect {
  kind: 'check_indicators';
  text: string;
  /** The country a number written locally is read in (the person's country, when the conversation knows it). */
  countryHint?: string;
}

/** What the check answered, fed back to the engine; `disputeUrl`: the public dispute form, when the site is known. */
export interface CheckResultInput {
  type: 'check_result';
  /** `unavailable`: this deployment assembled no check (a runner built without one). */
  answer: CheckAnswer | { kind: 'unavailable' };
  disputeUrl?: string;
}

/** One thing checked, as the answer names it: its kind and its last few characters, never the whole value. */
export interface CheckVerdictView {
  kind: IndicatorKind;
  tail: string;
  verdict: 'warning' | 'no_warning';
}

/** The answer shown: each verdict, the category's advice (i18next keys), and where to dispute a warning. */
export interface CheckAnswerOutput {
  type: 'check_answer';
  items: CheckVerdictView[];
  adviceKeys: string[];
  disputeUrl?: string;
}

/** Where the conversation was when /check came, to go back there afterwards (a report in progress resumes). */
export interface CheckReturn {
  mode: 'report' | 'status' | 'add' | 'finished';
  step: string;
}
