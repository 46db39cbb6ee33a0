import { storyPointsToTrafficking } from '../../../intake/conversation/screening-cues.js';
import { screeningIndicators, type ScreeningIndicator } from '../../../intake/report/report-schema.js';
import type { FormValues } from './form-steps.js';

/**
 * The trafficking screening in the web form: the same forced-labour
 * indicators as the chat (`intake/conversation/screening-question.ts`), as
 * one group of checkboxes on the page after the story, shown only when what
 * was written so far points that way (held, a passport taken, a fake job
 * abroad, or the story's own words), without what the safety page already
 * asked. Leaving every box empty is skipping it.
 */

const text = (values: FormValues, name: string) => {
  const value = values[name];
  return Array.isArray(value) ? value.join('\n') : value;
};

export function formCallsForScreening(values: FormValues): boolean {
  if (values['safety.heldAgainstWill'] === 'yes' || values['safety.passportWithheld'] === 'yes') return true;
  if (values['incident.category'] === 'fake_job_compound') return true;
  return storyPointsToTrafficking([
    text(values, 'incident.narrative'),
    text(values, 'trafficking.promisedJob'),
    text(values, 'trafficking.debtOrRansomDemanded'),
  ]);
}

/** The indicators to tick: those the safety page did not already ask (held, the passport). */
export function formScreeningOptions(values: FormValues): readonly ScreeningIndicator[] {
  return screeningIndicators.filter(
    (indicator) =>
      !(indicator === 'not_free_to_leave' && values['safety.heldAgainstWill'] === 'yes') &&
      !(indicator === 'documents_taken' && values['safety.passportWithheld'] === 'yes'),
  );
}
