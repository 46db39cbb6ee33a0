import { incidentCategories, type IncidentCategory } from '../report/report-schema.js';
import { countryOptions, yesNoOptions } from './choice-options.js';
import type { ChoiceOption, ConversationDeps, ConversationState } from './conversation-types.js';
import { addSuspect, applyIndicators, patchSection, setCompound } from './draft-updates.js';
import { applySuspectAnswer, defaultCountryOf, readIndicators } from './typed-answers.js';
import {
  applyScreeningAnswer,
  screeningApplies,
  screeningContinues,
  screeningOptions,
  skipScreening,
} from './screening-question.js';

export type AnswerKind = 'choice' | 'text' | 'evidence';
export type SectionId = 'safety' | 'story' | 'details' | 'about' | 'evidence' | 'consent';

/**
 * One question of the reporting conversation. The questionnaire is this list:
 * the engine asks the questions in order, skips those whose condition does not
 * hold, and writes each answer into the draft with `apply`.
 */
export interface Question {
  id: string;
  section: SectionId;
  promptKey: string;
  kind: AnswerKind;
  options?: (state: ConversationState) => ChoiceOption[];
  /** Everything can be skipped except consent. */
  skippable: boolean;
  when?: (state: ConversationState) => boolean;
  apply: (state: ConversationState, answer: string, deps: ConversationDeps) => ConversationState;
  /** A list pressed one item at a time (the screening): after this answer, the same question again. */
  again?: (state: ConversationState, answer: string) => boolean;
  /** What /skip records, so a skipped question is not asked again. */
  onSkip?: (state: ConversationState) => ConversationState;
}

export const urgentNow = (state: ConversationState) =>
  state.draft.safety?.inImmediateDanger === true || state.draft.safety?.heldAgainstWill === true;
const categoryIs =
  (...categories: IncidentCategory[]) =>
  (state: ConversationState) =>
    state.draft.incident?.category !== undefined && categories.includes(state.draft.incident.category);
const withDraft = (state: ConversationState, draft: ConversationState['draft']): ConversationState => ({
  ...state,
  draft,
});
const country = (answer: string) => (answer === 'other' ? undefined : answer);

/** A free answer about the scammers: found parts in their fields, the rest kept as typed (see typed-answers.ts). */
function suspectAnswer(source: string) {
  return (state: ConversationState, answer: string, deps: ConversationDeps): ConversationState =>
    applySuspectAnswer(state, answer, source, deps);
}

export const questionnaire: readonly Question[] = [
  {
    id: 'safety',
    section: 'safety',
    promptKey: 'questions.safety',
    kind: 'choice',
    options: () => [
      // Button labels are the short ones: LINE shows 20 graphemes of a label, and these are worded to fit.
      { value: 'danger', labelKey: 'options.short.inDanger' },
      { value: 'held', labelKey: 'options.short.held' },
      { value: 'safe', labelKey: 'options.safe' },
    ],
    skippable: true,
    apply: (state, answer) =>
      withDraft(
        state,
        patchSection(
          state.draft,
          'safety',
          answer === 'safe'
            ? { inImmediateDanger: false, heldAgainstWill: false }
            : answer === 'held'
              ? { heldAgainstWill: true }
              : { inImmediateDanger: true },
        ),
      ),
  },
  {
    id: 'dangerWho',
    section: 'safety',
    promptKey: 'questions.dangerWho',
    kind: 'choice',
    options: () => [
      { value: 'me', labelKey: 'options.me' },
      { value: 'someoneElse', labelKey: 'options.someoneElse' },
    ],
    skippable: true,
    when: (state) => urgentNow(state) && state.inDanger === undefined,
    // Someone reporting for a person held: the victim fields are that person's, their own contact stays theirs.
    apply: (state, answer) => ({
      ...withDraft(state, { ...state.draft, reporterRole: answer === 'someoneElse' ? 'family_or_friend' : 'victim' }),
      inDanger: answer === 'someoneElse' ? 'someoneElse' : 'me',
    }),
  },
  {
    id: 'dangerConsent',
    section: 'safety',
    promptKey: 'questions.dangerConsent',
    kind: 'choice',
    options: () => yesNoOptions,
    skippable: false,
    when: (state) => urgentNow(state) && state.draft.consent === undefined,
    apply: (state, answer) =>
      withDraft(state, patchSection(state.draft, 'consent', { shareWithLawEnforcement: answer === 'yes' })),
  },
  {
    id: 'dangerCountry',
    section: 'safety',
    promptKey: 'questions.dangerCountry',
    kind: 'choice',
    options: (state) => countryOptions(state.language),
    skippable: true,
    // Asked after the urgent report is stored (consent comes first, so the reference is the third message after the
    // language): without a country staff decide and the person is told so; the answer then amends the report.
    when: (state) => urgentNow(state) && !state.draft.victim?.currentCountry,
    apply: (state, answer) =>
      withDraft(state, patchSection(state.draft, 'victim', { currentCountry: country(answer) })),
  },
  {
    id: 'narrative',
    section: 'story',
    promptKey: 'questions.narrative',
    kind: 'text',
    skippable: true,
    apply: (state, answer, deps) => {
      const { found, waitsForCountry } = readIndicators(deps, answer, 'incident.narrative', defaultCountryOf(state));
      const unresolved = waitsForCountry
        ? [...(state.unresolved ?? []), { source: 'incident.narrative', text: answer }].slice(-50)
        : state.unresolved;
      return {
        ...withDraft(state, patchSection(state.draft, 'incident', { narrative: answer })),
        found,
        ...(unresolved ? { unresolved } : {}),
      };
    },
  },
  {
    id: 'confirmFound',
    section: 'story',
    promptKey: 'questions.confirmFound',
    kind: 'choice',
    options: () => yesNoOptions,
    skippable: true,
    when: (state) => state.found.length > 0,
    apply: (state, answer) => ({
      ...withDraft(state, answer === 'yes' ? applyIndicators(state.draft, state.found) : state.draft),
      found: [],
    }),
  },
  {
    id: 'category',
    section: 'story',
    promptKey: 'questions.category',
    kind: 'choice',
    options: () => incidentCategories.map((category) => ({ value: category, labelKey: `options.short.${category}` })),
    skippable: true,
    apply: (state, answer) =>
      withDraft(state, patchSection(state.draft, 'incident', { category: answer as IncidentCategory })),
  },
  {
    // The trafficking screening (screening-question.ts): after the urgent burst, only when the story points that way.
    id: 'screening',
    section: 'details',
    promptKey: 'screening.question',
    kind: 'choice',
    options: screeningOptions,
    skippable: true,
    when: screeningApplies,
    apply: (state, answer) => withDraft(state, applyScreeningAnswer(state.draft, answer)),
    again: screeningContinues,
    onSkip: (state) => withDraft(state, skipScreening(state.draft)),
  },
  {
    id: 'jobRecruiter',
    section: 'details',
    promptKey: 'questions.jobRecruiter',
    kind: 'text',
    skippable: true,
    when: categoryIs('fake_job_compound'),
    apply: suspectAnswer('suspects.messengerHandles'),
  },
  {
    id: 'jobPromise',
    section: 'details',
    promptKey: 'questions.jobPromise',
    kind: 'text',
    skippable: true,
    when: categoryIs('fake_job_compound'),
    apply: (state, answer) => withDraft(state, patchSection(state.draft, 'trafficking', { promisedJob: answer })),
  },
  {
    id: 'compoundPlace',
    section: 'details',
    promptKey: 'questions.compoundPlace',
    kind: 'text',
    skippable: true,
    when: (state) => categoryIs('fake_job_compound')(state) || state.draft.safety?.heldAgainstWill === true,
    apply: (state, answer) => withDraft(state, setCompound(state.draft, { place: answer })),
  },
  {
    id: 'compoundCountry',
    section: 'details',
    promptKey: 'questions.compoundCountry',
    kind: 'choice',
    options: (state) => countryOptions(state.language),
    skippable: true,
    when: (state) =>
      (categoryIs('fake_job_compound')(state) || state.draft.safety?.heldAgainstWill === true) &&
      !state.draft.suspects?.compound?.country,
    apply: (state, answer) =>
      withDraft(state, answer === 'other' ? state.draft : setCompound(state.draft, { country: answer })),
  },
  {
    id: 'investPlatform',
    section: 'details',
    promptKey: 'questions.investPlatform',
    kind: 'text',
    skippable: true,
    when: categoryIs('investment_crypto'),
    apply: suspectAnswer('suspects.websites'),
  },
  {
    id: 'investWallet',
    section: 'details',
    promptKey: 'questions.investWallet',
    kind: 'text',
    skippable: true,
    // A wallet the story named and the reporter confirmed is not asked for again.
    when: (state) => categoryIs('investment_crypto')(state) && (state.draft.suspects?.wallets ?? []).length === 0,
    apply: suspectAnswer('suspects.wallets'),
  },
  {
    id: 'romanceProfile',
    section: 'details',
    promptKey: 'questions.romanceProfile',
    kind: 'text',
    skippable: true,
    when: categoryIs('romance', 'sextortion'),
    apply: (state, answer) => withDraft(state, patchSection(state.draft, 'incident', { firstContactPlatform: answer })),
  },
  {
    id: 'callerWho',
    section: 'details',
    promptKey: 'questions.callerWho',
    kind: 'text',
    skippable: true,
    when: categoryIs('voice_phishing'),
    apply: (state, answer) => withDraft(state, addSuspect(state.draft, 'names', answer.slice(0, 500))),
  },
  {
    id: 'callerPhone',
    section: 'details',
    promptKey: 'questions.callerPhone',
    kind: 'text',
    skippable: true,
    // Nor a number the story gave: the caller's number is the one a voice-phishing story names.
    when: (state) => categoryIs('voice_phishing')(state) && (state.draft.suspects?.phones ?? []).length === 0,
    apply: suspectAnswer('suspects.phones'),
  },
  {
    id: 'money',
    section: 'details',
    promptKey: 'questions.money',
    kind: 'text',
    skippable: true,
    when: (state) => (state.draft.losses?.payments ?? []).length === 0,
    apply: (state, answer, deps) => {
      const found = deps.extractIndicators(answer, { source: 'losses' });
      const withFound = applyIndicators(state.draft, found);
      // The answer in words stays with the story, so nothing the reporter wrote is lost.
      const narrative = [state.draft.incident?.narrative, answer].filter(Boolean).join('\n\n').slice(0, 20_000);
      return withDraft(state, patchSection(withFound, 'incident', { narrative }));
    },
  },
  {
    id: 'nationality',
    section: 'about',
    promptKey: 'questions.nationality',
    kind: 'choice',
    options: (state) => countryOptions(state.language),
    skippable: true,
    when: (state) => !state.draft.victim?.nationality,
    apply: (state, answer) => withDraft(state, patchSection(state.draft, 'victim', { nationality: country(answer) })),
  },
  {
    id: 'currentCountry',
    section: 'about',
    promptKey: 'questions.currentCountry',
    kind: 'choice',
    options: (state) => countryOptions(state.language),
    skippable: true,
    when: (state) => !state.draft.victim?.currentCountry,
    apply: (state, answer) =>
      withDraft(state, patchSection(state.draft, 'victim', { currentCountry: country(answer) })),
  },
  {
    id: 'evidence',
    section: 'evidence',
    promptKey: 'questions.evidence',
    kind: 'evidence',
    skippable: true,
    apply: (state) => state,
  },
  {
    id: 'consentShare',
    section: 'consent',
    promptKey: 'questions.consentShare',
    kind: 'choice',
    options: () => yesNoOptions,
    skippable: false,
    when: (state) => state.draft.consent === undefined,
    apply: (state, answer) =>
      withDraft(state, patchSection(state.draft, 'consent', { shareWithLawEnforcement: answer === 'yes' })),
  },
  {
    id: 'consentContact',
    section: 'consent',
    promptKey: 'questions.consentContact',
    kind: 'choice',
    options: () => yesNoOptions,
    skippable: true,
    when: (state) => state.draft.consent?.contactBack === undefined,
    apply: (state, answer) => withDraft(state, patchSection(state.draft, 'consent', { contactBack: answer === 'yes' })),
  },
];

/** The summary comes after the evidence and before consent: the reporter checks, then agrees to share. */
export const summaryAfter = 'evidence';

export function questionById(id: string): Question | undefined {
  return questionnaire.find((question) => question.id === id);
}

/** Sections a reporter can go back to from the summary, and the first question of each. */
export const editableSections: Array<{ section: SectionId; labelKey: string }> = [
  { section: 'story', labelKey: 'sections.story' },
  { section: 'details', labelKey: 'sections.details' },
  { section: 'about', labelKey: 'sections.about' },
  { section: 'evidence', labelKey: 'options.short.evidenceSection' },
];
