import { languageOfScript } from '../i18n/script-language.js';
import { isLanguageCode, matchLanguage, type LanguageCode } from '../i18n/languages.js';
import { normalizeReceiptCode, normalizeReportReference } from '../report/reference-codes.js';
import type { Channel, ReportInput } from '../report/report-schema.js';
import { adviceFor } from './advice.js';
import { languageOptions, yesNoOptions } from './choice-options.js';
import type {
  ChoiceOption,
  ConversationDeps,
  ConversationInput,
  ConversationOutput,
  ConversationState,
} from './conversation-types.js';
import type { ReportAmendmentInput } from '../report/report-amendment.js';
import { patchSection } from './draft-updates.js';
import { summaryLines } from './summary-lines.js';
import { dangerContacts } from './danger-contacts.js';
import { amendmentBetween, droppedListItems, dropsListItems } from './draft-amendment.js';
import { rememberTyped, replaceTypedAnswer, typedAnswer } from './typed-messages.js';
import { rereadUnresolved } from './typed-answers.js';
import { withRecoveryShield } from './check-recovery-shield.js';
import {
  answerCheck,
  checkAnswered,
  checkPrompt,
  checkSteps,
  leaveCheck,
  resumesAQuestion,
  startCheck,
} from './check-mode.js';
import {
  editableSections,
  questionById,
  questionnaire,
  summaryAfter,
  urgentNow,
  type Question,
  type SectionId,
} from './questionnaire.js';
import { keepRecruiterLead } from '../recruiters/keep-recruiter-lead.js';

export interface Turn {
  state: ConversationState;
  outputs: ConversationOutput[];
}

/** Steps that are not questions of the questionnaire. */
const step = {
  language: 'language',
  summary: 'summary',
  editSection: 'editSection',
  cancelConfirm: 'cancelConfirm',
  withdrawConfirm: 'withdrawConfirm',
  awaitingUrgentSubmit: 'awaitingUrgentSubmit',
  awaitingSubmit: 'awaitingSubmit',
  statusReference: 'statusReference',
  statusCode: 'statusCode',
  addReference: 'addReference',
  addCode: 'addCode',
  addContent: 'addContent',
  awaitingEffect: 'awaitingEffect',
  done: 'done',
} as const;

const text = (key: string, params?: Record<string, string>): ConversationOutput => ({
  type: 'text',
  key,
  ...(params ? { params } : {}),
});

/** The region of a language tag (`vi-VN` → VN), the country the channel suggests; none for a bare `vi`. */
function regionOf(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    const region = new Intl.Locale(tag.replace('_', '-')).region;
    return region && /^[A-Z]{2}$/.test(region) ? region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A new conversation, in the language the app tells (`languageHint`) or, when it tells none the project has,
 * the one the first message is written in (`firstText`, by its script): asked first in the language list.
 */
export function startConversation(options: {
  channel: Channel;
  languageHint?: string | null;
  firstText?: string;
}): Turn {
  const hint =
    matchLanguage(options.languageHint) ?? (options.firstText ? languageOfScript(options.firstText) : undefined);
  const suggestedCountry = regionOf(options.languageHint);
  const state: ConversationState = {
    version: 1,
    channel: options.channel,
    language: hint ?? 'en',
    mode: 'report',
    step: step.language,
    history: [],
    draft: { channel: options.channel, language: hint ?? 'en' },
    found: [],
    returnToSummary: false,
    submissions: 0,
    lookup: {},
    ...(suggestedCountry ? { suggestedCountry } : {}),
  };
  return { state, outputs: [text('welcome'), ...promptFor(state)] };
}

/** Questions worded for a person reported by someone else ("Which country is the person in now?"). */
const aboutThemKeys = new Set([
  'questions.dangerCountry',
  'questions.dangerConsent',
  'questions.compoundPlace',
  'questions.nationality',
  'questions.currentCountry',
  'screening.question',
]);

function promptKeyFor(state: ConversationState, key: string): string {
  return state.inDanger === 'someoneElse' && aboutThemKeys.has(key) ? `${key}Them` : key;
}

/** The question (or choice) to show for the current step. */
function promptFor(state: ConversationState): ConversationOutput[] {
  switch (state.step) {
    case step.language:
      return [
        { type: 'choices', key: 'questions.language', options: languageOptions(state.language), question: state.step },
      ];
    case step.summary:
      return [
        { type: 'summary', lines: summaryLines(state.draft, state.language) },
        {
          type: 'choices',
          key: 'questions.summary',
          question: state.step,
          options: [
            { value: 'confirm', labelKey: 'options.confirm' },
            { value: 'edit', labelKey: 'options.edit' },
          ],
        },
      ];
    case step.editSection:
      return [
        {
          type: 'choices',
          key: 'questions.editSection',
          question: state.step,
          options: editableSections.map(({ section, labelKey }) => ({ value: section, labelKey })),
        },
      ];
    case step.cancelConfirm:
      return [{ type: 'choices', key: 'questions.cancelConfirm', options: yesNoOptions, question: state.step }];
    case step.withdrawConfirm:
      return [{ type: 'choices', key: 'questions.withdrawConfirm', options: yesNoOptions, question: state.step }];
    case step.statusReference:
    case step.addReference:
      return [text('questions.reference')];
    case step.statusCode:
    case step.addCode:
      return [text('questions.receiptCode')];
    case step.addContent:
      return [text('questions.addContent')];
    case step.awaitingUrgentSubmit:
    case step.awaitingSubmit:
    case step.awaitingEffect:
      return [text('pleaseWait')];
    case step.done:
      return [text('finishedHelp')];
    case checkSteps.ask:
      return [checkPrompt()];
    default: {
      const question = questionById(state.step);
      if (!question) return [text('finishedHelp')];
      if (question.kind === 'evidence') {
        return [
          {
            type: 'request_file',
            key: question.promptKey,
            question: question.id,
            options: [{ value: 'done', labelKey: 'options.evidenceDone' }],
          },
        ];
      }
      if (question.id === 'confirmFound') {
        // A link yields its URL and its domain from the same words: the person is shown what they wrote once.
        const items = [...new Set(state.found.map((indicator) => indicator.original))].join(', ');
        return [
          {
            type: 'choices',
            key: question.promptKey,
            params: { items },
            options: question.options?.(state) ?? [],
            question: question.id,
          },
        ];
      }
      const key = promptKeyFor(state, question.promptKey);
      if (question.kind === 'choice')
        return [{ type: 'choices', key, options: question.options?.(state) ?? [], question: question.id }];
      return [text(key)];
    }
  }
}

/** The state as if a section were still unanswered: editing a section asks all of it again. */
function asIfUnanswered(state: ConversationState, section: SectionId): ConversationState {
  const draft = { ...state.draft };
  if (section === 'story') draft.incident = {};
  if (section === 'details') {
    // Whom forwarded messages came from is not an answer to ask again: it stays (keep-recruiter-lead.ts).
    const forwardedFrom = state.draft.suspects?.forwardedFrom;
    draft.suspects = forwardedFrom ? { forwardedFrom } : {};
    draft.losses = {};
    draft.trafficking = {};
  }
  if (section === 'about') draft.victim = {};
  return { ...state, draft };
}

function questionApplies(question: Question, state: ConversationState, editing: SectionId | undefined): boolean {
  if (!question.when) return true;
  return question.when(editing && question.section === editing ? asIfUnanswered(state, editing) : state);
}

/** The step after `fromId` in the questionnaire, honouring conditions, the summary and an edit in progress. */
function nextStepAfter(state: ConversationState, fromId: string, editing?: SectionId): string {
  const from = questionnaire.findIndex((question) => question.id === fromId);
  for (const question of questionnaire.slice(from + 1)) {
    if (state.returnToSummary && editing && question.section !== editing) return step.summary;
    if (state.returnToSummary && !editing && question.section !== questionById(fromId)?.section) return step.summary;
    if (fromId === summaryAfter && !state.returnToSummary) return step.summary;
    if (questionApplies(question, state, editing)) return question.id;
  }
  if (fromId === summaryAfter) return step.summary;
  return step.awaitingSubmit;
}

function goTo(state: ConversationState, next: string, deps: ConversationDeps): Turn {
  const moved: ConversationState = { ...state, step: next };
  if (next === step.awaitingSubmit) return finalSubmission(moved, deps);
  if (next === step.summary) return { state: { ...moved, returnToSummary: false }, outputs: promptFor(moved) };
  return { state: moved, outputs: promptFor(moved) };
}

/** Everything gathered, as the report to store. */
export function draftToReportInput(state: ConversationState): ReportInput {
  return {
    ...state.draft,
    channel: state.channel,
    language: state.language,
    consent: {
      shareWithLawEnforcement: state.draft.consent?.shareWithLawEnforcement ?? false,
      contactBack: state.draft.consent?.contactBack ?? false,
    },
  };
}

function submitEffect(
  state: ConversationState,
  deps: ConversationDeps,
): { state: ConversationState; output: ConversationOutput } {
  const submissions = state.submissions + 1;
  return {
    state: { ...state, submissions },
    output: {
      type: 'effect',
      effect: {
        kind: 'submit_report',
        content: draftToReportInput(state),
        submissionKey: `${deps.conversationId}:${submissions}`,
      },
    },
  };
}

/**
 * The end of the questions: store the report. When an urgent report was
 * stored at the start, every answer since already went to it as an
 * amendment, so the conversation ends with its receipt.
 */
function finalSubmission(state: ConversationState, deps: ConversationDeps): Turn {
  if (state.submitted) {
    // The receipt says where the report goes now: a nationality told since may have added that country's police.
    return {
      state: { ...state, step: step.awaitingEffect },
      outputs: [{ type: 'effect', effect: { kind: 'describe_routing', ...state.submitted } }],
    };
  }
  const { state: submitting, output } = submitEffect({ ...state, step: step.awaitingSubmit }, deps);
  return { state: submitting, outputs: [text('saving'), output] };
}

/**
 * An effect's idempotency key: the conversation, the update that caused it and its count. The same update
 * handled again (a crash after the effect, before the commit) asks with the same key, so nothing happens twice;
 * two updates racing each other never share one.
 */
function turnKey(deps: ConversationDeps, kind: string, count: number): string {
  return `${deps.conversationId}:${deps.updateKey ?? 'turn'}:${kind}:${count}`;
}

/** Fields changed since an urgent report was stored go to it through the amend operation, each with its own key. */
function amendEffect(
  state: ConversationState,
  changes: ReportAmendmentInput,
  deps: ConversationDeps,
): { state: ConversationState; outputs: ConversationOutput[] } {
  if (!state.submitted || Object.keys(changes).length === 0) return { state, outputs: [] };
  const amendments = (state.amendments ?? 0) + 1;
  return {
    state: { ...state, amendments },
    outputs: [
      {
        type: 'effect',
        effect: {
          kind: 'amend_report',
          ...state.submitted,
          changes,
          key: turnKey(deps, 'amend', amendments),
        },
      },
    ],
  };
}

/** Short fields hold 500 characters; a longer answer is kept whole in the story, so nothing typed is lost. */
const shortFieldLimit = 500;
const storyLimit = 20_000;

function fitLongAnswer(
  state: ConversationState,
  question: Question,
  answer: string,
): { state: ConversationState; answer: string } {
  if (question.kind !== 'text') return { state, answer };
  if (question.id === 'narrative') {
    // Words typed before the language was chosen stay the story's beginning.
    if (!state.earlyWords) return { state, answer: answer.slice(0, storyLimit) };
    const { earlyWords, ...rest } = state;
    return { state: rest, answer: [earlyWords, answer].join('\n\n').slice(0, storyLimit) };
  }
  if (answer.length <= shortFieldLimit) return { state, answer };
  const narrative = [state.draft.incident?.narrative, answer].filter(Boolean).join('\n\n').slice(0, storyLimit);
  return {
    state: { ...state, draft: patchSection(state.draft, 'incident', { narrative }) },
    answer: answer.slice(0, shortFieldLimit),
  };
}

/**
 * Words typed before a language was chosen ("I am held", "help"): nothing typed is lost, so they are the
 * story from now on (in a report stored at the urgent consent too), and the person is told so and that the
 * next question, after the language, leads straight to the emergency numbers.
 */
function keepEarlyWords(state: ConversationState, words: string): Turn {
  const earlyWords = [state.earlyWords, words].filter(Boolean).join('\n\n').slice(0, storyLimit);
  const kept: ConversationState = {
    ...state,
    earlyWords,
    draft: patchSection(state.draft, 'incident', { narrative: earlyWords }),
  };
  return { state: kept, outputs: [text('wordsKeptChooseLanguage'), ...promptFor(kept)] };
}

/**
 * The option an input chose: a press of one of the question's own buttons, its number, its value, or its label
 * typed as shown (in the person's language), so a typed "Có" answers the question that showed "Có".
 */
function matchChoice(
  options: ChoiceOption[],
  input: ConversationInput,
  state: ConversationState,
  deps: ConversationDeps,
): string | undefined {
  if (input.type === 'choice') return options.some((option) => option.value === input.value) ? input.value : undefined;
  if (input.type !== 'text') return undefined;
  const typed = input.text.trim().toLocaleLowerCase(state.language);
  const byNumber = /^\d{1,2}$/.test(typed) ? options[Number(typed) - 1] : undefined;
  if (byNumber) return byNumber.value;
  const shown = (option: ChoiceOption) =>
    option.label ?? (option.labelKey && deps.label ? deps.label(option.labelKey, state.language) : undefined);
  return options.find(
    (option) =>
      option.value.toLowerCase() === typed || shown(option)?.trim().toLocaleLowerCase(state.language) === typed,
  )?.value;
}

function handleCommand(state: ConversationState, command: string, deps: ConversationDeps): Turn {
  // A command while asked what to check leaves the check first (help and hide keep it); /back, /skip and /cancel
  // drop only the check.
  if (state.mode === 'check' && command !== 'help' && command !== 'hide' && command !== 'check') {
    const left = leaveCheck(state);
    if (command === 'back' || command === 'skip' || command === 'cancel')
      return { state: left, outputs: [text('check.stopped'), ...(resumesAQuestion(left) ? promptFor(left) : [])] };
    return handleCommand(left, command, deps);
  }
  switch (command) {
    case 'check':
      return startCheck(state);
    case 'start':
      if (state.mode === 'finished' || state.mode !== 'report') {
        const fresh = startConversation({ channel: state.channel, languageHint: state.language });
        return { state: { ...fresh.state, submissions: state.submissions }, outputs: fresh.outputs };
      }
      return { state, outputs: [text('welcomeBack'), ...promptFor(state)] };
    case 'language':
      return goTo({ ...state, resumeStep: state.step }, step.language, deps);
    case 'back': {
      const previous = state.history[state.history.length - 1];
      if (!previous) return { state, outputs: [text('nothingBack'), ...promptFor(state)] };
      return goTo({ ...state, history: state.history.slice(0, -1) }, previous, deps);
    }
    case 'skip': {
      const question = questionById(state.step);
      if (!question || !question.skippable)
        return { state, outputs: [text(question ? 'cannotSkip' : 'nothingToSkip'), ...promptFor(state)] };
      if (question.id === 'dangerCountry' && state.submitted && !state.returnToSummary) {
        const skipped = { ...state, history: [...state.history, state.step] };
        return afterUrgentCountry(state, skipped, deps);
      }
      if (question.onSkip) {
        // What the skip records (the screening: offered and skipped) goes to a stored report like an answer.
        const skipped = { ...question.onSkip(state), history: [...state.history, state.step] };
        const amended = amendEffect(skipped, amendmentBetween(state.draft, skipped.draft), deps);
        const turn = goTo(amended.state, nextStepAfter(amended.state, state.step), deps);
        return { state: turn.state, outputs: [...amended.outputs, ...turn.outputs] };
      }
      return goTo({ ...state, history: [...state.history, state.step] }, nextStepAfter(state, state.step), deps);
    }
    case 'cancel':
      // A stored report cannot be deleted from a chat: it can be withdrawn, and the person is told what that means.
      if (state.submitted) return goTo({ ...state, resumeStep: state.step }, step.withdrawConfirm, deps);
      if (state.mode === 'finished') return { state, outputs: [text('nothingToCancel')] };
      return goTo({ ...state, resumeStep: state.step }, step.cancelConfirm, deps);
    case 'status':
      return goTo(
        { ...state, mode: 'status', lookup: {}, resumeStep: state.mode === 'report' ? state.step : undefined },
        step.statusReference,
        deps,
      );
    case 'add':
      return goTo(
        { ...state, mode: 'add', lookup: {}, resumeStep: state.mode === 'report' ? state.step : undefined },
        step.addReference,
        deps,
      );
    case 'hide':
      return { state, outputs: [{ type: 'hide_messages' }, text('hidden')] };
    case 'help':
      return { state, outputs: [text('help'), ...promptFor(state)] };
    default:
      return { state, outputs: promptFor(state) };
  }
}

/** After /status or /add, go back to the report in progress, or rest. */
function resume(state: ConversationState, outputs: ConversationOutput[]): Turn {
  if (state.resumeStep && state.resumeStep !== step.done) {
    const back = { ...state, mode: 'report' as const, step: state.resumeStep, resumeStep: undefined, lookup: {} };
    return { state: back, outputs: [...outputs, ...promptFor(back)] };
  }
  return { state: { ...state, mode: 'finished', step: step.done, resumeStep: undefined, lookup: {} }, outputs };
}

/** After the urgent burst, the story is asked for: with the location request (last: LINE shows its quick reply). */
function tellMoreAfterUrgent(state: ConversationState): ConversationOutput {
  return state.inDanger === 'someoneElse'
    ? text('urgentTellMoreThem')
    : { type: 'request_location', key: 'shareLocationThenStory' };
}

/**
 * The country, asked once the urgent report is stored: that country's numbers at once (when one was named), the
 * report amended with it (the amend operation re-routes it), then the story as after the burst.
 */
function afterUrgentCountry(before: ConversationState, answered: ConversationState, deps: ConversationDeps): Turn {
  const amended = amendEffect(answered, amendmentBetween(before.draft, answered.draft), deps);
  const next = nextStepAfter(amended.state, 'dangerCountry');
  const turn = goTo(amended.state, next, deps);
  const numbers = answered.draft.victim?.currentCountry ? [dangerContacts(answered, deps)] : [];
  const ask = next === 'narrative' ? [tellMoreAfterUrgent(answered)] : turn.outputs;
  return { state: turn.state, outputs: [...numbers, ...amended.outputs, ...ask] };
}

function handleEffectResult(state: ConversationState, input: ConversationInput, deps: ConversationDeps): Turn {
  if (input.type === 'report_submitted') {
    const submitted = { reference: input.reference, receiptCode: input.receiptCode };
    if (state.step === step.awaitingUrgentSubmit) {
      // The urgent burst's second and third messages: the reference, then (last, so LINE shows its quick reply)
      // the location request, which also asks for the story.
      const saved: ConversationState = { ...state, submitted };
      const next = nextStepAfter(saved, 'dangerConsent');
      const turn = goTo(saved, next, deps);
      const reference = text(input.routingLines.length > 0 ? 'urgentSavedRouted' : 'urgentSaved', {
        ...submitted,
        ...(input.routingLines.length > 0 ? { routing: input.routingLines.join('\n') } : {}),
      });
      if (next === 'narrative') return { state: turn.state, outputs: [reference, tellMoreAfterUrgent(saved)] };
      return { state: turn.state, outputs: [reference, ...turn.outputs] };
    }
    const category = state.draft.incident?.category;
    const urgent = state.draft.safety?.inImmediateDanger === true || state.draft.safety?.heldAgainstWill === true;
    const { adviceKeys, shield } = withRecoveryShield(state.draft, adviceFor(category, urgent));
    return {
      state: { ...state, submitted, mode: 'finished', step: step.done },
      outputs: [
        { type: 'receipt', ...submitted, routingLines: input.routingLines, adviceKeys },
        ...shield,
        text('whatNext'),
      ],
    };
  }
  if (input.type === 'status_result') {
    const outputs: ConversationOutput[] = input.found
      ? [
          text('statusIs'),
          text(input.statusKey ?? 'status.new'),
          ...(input.staffMessages ?? []).map((message) => text('staffMessage', { message })),
        ]
      : [text('statusNotFound')];
    return resume(state, outputs);
  }
  if (input.type === 'routing_described' && state.submitted) {
    const { adviceKeys, shield } = withRecoveryShield(state.draft, adviceFor(state.draft.incident?.category, true));
    return {
      state: { ...state, mode: 'finished', step: step.done },
      outputs: [
        { type: 'receipt', ...state.submitted, routingLines: input.routingLines, adviceKeys },
        ...shield,
        text('whatNext'),
      ],
    };
  }
  if (input.type === 'amendment_result') {
    // An answer added to the urgent report along the way: already acknowledged with the next question.
    return { state, outputs: [] };
  }
  if (input.type === 'withdraw_result') {
    const key = !input.found ? 'withdrawFailed' : input.alreadyWithdrawn ? 'alreadyWithdrawn' : 'withdrawn';
    return {
      state: {
        ...state,
        mode: 'finished',
        step: step.done,
        resumeStep: undefined,
        draft: { channel: state.channel, language: state.language },
        found: [],
        unresolved: [],
        typed: [],
        earlyWords: undefined,
      },
      outputs: [text(key)],
    };
  }
  if (input.type === 'addition_result') {
    if (state.mode === 'report' && state.step !== step.awaitingEffect) return { state, outputs: [] };
    return resume(state, [text(input.ok ? 'addDone' : 'addFailed')]);
  }
  return { state, outputs: promptFor(state) };
}

function answerLookup(state: ConversationState, input: ConversationInput, deps: ConversationDeps): Turn {
  const typed = input.type === 'text' ? input.text : input.type === 'choice' ? input.value : '';
  if (state.step === step.statusReference || state.step === step.addReference) {
    const reference = normalizeReportReference(typed);
    if (!reference) return { state, outputs: [text('invalidReference'), ...promptFor(state)] };
    return goTo({ ...state, lookup: { reference } }, state.mode === 'status' ? step.statusCode : step.addCode, deps);
  }
  if (state.step === step.statusCode || state.step === step.addCode) {
    const receiptCode = normalizeReceiptCode(typed);
    if (!receiptCode) return { state, outputs: [text('invalidReceiptCode'), ...promptFor(state)] };
    const lookup = { ...state.lookup, receiptCode };
    if (state.mode === 'status') {
      return {
        state: { ...state, lookup, step: step.awaitingEffect },
        outputs: [{ type: 'effect', effect: { kind: 'lookup_status', reference: lookup.reference!, receiptCode } }],
      };
    }
    return goTo({ ...state, lookup }, step.addContent, deps);
  }
  if (state.step === step.addContent) {
    const { reference, receiptCode } = state.lookup;
    if (!reference || !receiptCode) return goTo(state, step.addReference, deps);
    if (input.type === 'text' && input.text.trim()) {
      return {
        state: { ...state, step: step.awaitingEffect },
        outputs: [
          { type: 'effect', effect: { kind: 'add_to_report', reference, receiptCode, text: input.text.trim() } },
        ],
      };
    }
    if (input.type === 'file') {
      return {
        state: { ...state, step: step.awaitingEffect },
        outputs: [{ type: 'effect', effect: { kind: 'add_to_report', reference, receiptCode, file: input.file } }],
      };
    }
    return { state, outputs: promptFor(state) };
  }
  return { state, outputs: promptFor(state) };
}

/** Questions whose answer is consent: taken only from their own buttons, or typed at them. */
const consentSteps = new Set<string>([
  'dangerConsent',
  'consentShare',
  'consentContact',
  'cancelConfirm',
  'withdrawConfirm',
]);

/** Whether a button press answers the question now asked: an old keyboard's press changes nothing. */
function pressFits(state: ConversationState, input: Extract<ConversationInput, { type: 'choice' }>): boolean {
  if (input.question !== undefined) return input.question === state.step;
  // A button from before presses carried their question: never good enough for consent.
  return !consentSteps.has(state.step);
}

/** A text whose i18next key is missing, buttons without options, a summary without lines: a bug, never sent. */
export function rendersEmpty(output: ConversationOutput): boolean {
  switch (output.type) {
    case 'text':
    case 'request_location':
      return output.key.length === 0;
    case 'choices':
    case 'request_file':
      return output.key.length === 0 || output.options.length === 0;
    case 'contacts':
      return output.key.length === 0 && output.contacts.length === 0 && output.afterKeys.length === 0;
    case 'summary':
      return output.lines.length === 0;
    default:
      return false;
  }
}

/** Voice notes and audio are kept as evidence: said so, instead of "please write your answer". */
const isVoice = (mediaType: string) => mediaType.startsWith('audio/');

/** A file or a location, welcome at any point of a report; once an urgent report is stored, it goes to it. */
function attachToReport(state: ConversationState, input: ConversationInput, deps: ConversationDeps): Turn | undefined {
  if (input.type === 'file') {
    const evidence = [...(state.draft.evidence ?? []), input.file];
    // Remembered by its message, so a photo taken back (LINE "unsend") leaves the draft too.
    const withFile: ConversationState = rememberTyped(
      { ...state, draft: { ...state.draft, evidence } },
      input.messageId,
      evidenceField,
      input.file.sha256,
    );
    const amended = amendEffect(withFile, { evidence: [input.file] }, deps);
    const thanks = isVoice(input.file.mediaType)
      ? text('voiceKept', { count: String(evidence.length) })
      : text('fileReceived', { count: String(evidence.length) });
    return { state: amended.state, outputs: [thanks, ...amended.outputs, ...promptFor(amended.state)] };
  }
  if (input.type === 'file_rejected') {
    const key =
      input.reason === 'too_large'
        ? 'fileTooLarge'
        : input.reason === 'unavailable'
          ? 'fileUnavailable'
          : 'fileTypeNotAllowed';
    return { state, outputs: [text(key), ...promptFor(state)] };
  }
  if (input.type === 'location') {
    const coordinates = { latitude: input.latitude, longitude: input.longitude };
    const located: ConversationState = {
      ...state,
      draft: patchSection(state.draft, 'victim', { coordinates }),
    };
    const amended = amendEffect(located, { victim: { coordinates } }, deps);
    return {
      state: amended.state,
      outputs: [text('locationReceived'), ...amended.outputs, ...promptFor(amended.state)],
    };
  }
  return undefined;
}

/** What a file message is remembered as: its hash, under this field. */
const evidenceField = 'evidence';

function withoutFile(state: ConversationState, sha256: string): ConversationState {
  return {
    ...state,
    draft: { ...state.draft, evidence: (state.draft.evidence ?? []).filter((file) => file.sha256 !== sha256) },
    typed: (state.typed ?? []).filter((entry) => !(entry.field === evidenceField && entry.text === sha256)),
  };
}

/** An edited or unsent message: what it put in the draft is replaced or removed (and so in the stored report). */
function correctTyped(
  state: ConversationState,
  input: Extract<ConversationInput, { type: 'edited' } | { type: 'unsent' }>,
  deps: ConversationDeps,
): Turn {
  const entry = typedAnswer(state, input.messageId);
  if (!entry) return { state, outputs: [] };
  const replaced =
    entry.field === evidenceField
      ? input.type === 'unsent'
        ? withoutFile(state, entry.text)
        : state
      : replaceTypedAnswer(state, entry, input.type === 'edited' ? input.text.trim() || undefined : undefined, deps);
  if (replaced === state) return { state, outputs: [] };
  const reread = rereadUnresolved(replaced, deps);
  const amended = amendEffect(reread, amendmentBetween(state.draft, reread.draft), deps);
  // A stored report's lists only grow: what the message added there stays, the person is told staff will correct
  // it, and the case says exactly what to remove, so that is true.
  const staysStored = state.submitted !== undefined && dropsListItems(state.draft, reread.draft);
  const key = staysStored ? 'correctionNeedsStaff' : input.type === 'edited' ? 'editKept' : 'unsentRemoved';
  const correction: ConversationOutput[] =
    staysStored && state.submitted
      ? [
          {
            type: 'effect',
            effect: {
              kind: 'request_correction',
              ...state.submitted,
              removals: droppedListItems(state.draft, reread.draft).map(removalText),
              key: turnKey(deps, 'correction', 1),
            },
          },
        ]
      : [];
  return { state: amended.state, outputs: [text(key), ...amended.outputs, ...correction] };
}

/** A list item the person took back, as staff find it in the report: the words, or a file by name and hash. */
function removalText(item: unknown): string {
  if (typeof item === 'string' || typeof item === 'number') return String(item);
  if (item && typeof item === 'object') {
    const record = item as Record<string, unknown>;
    if (typeof record.sha256 === 'string')
      return `${typeof record.fileName === 'string' ? record.fileName : ''} (sha256 ${record.sha256})`.trim();
    return Object.values(record)
      .filter((value) => typeof value === 'string' || typeof value === 'number')
      .join(' ');
  }
  return '';
}

/**
 * The conversation, one input at a time: a pure function of the state and
 * the input. Nothing here reads a clock, the network or the database; work
 * outside (storing the report, looking up a status) is asked for with an
 * `effect` output, and its result comes back as an input. An output that
 * would show nothing is a bug: it is dropped here and caught by the tests.
 */
export function advanceConversation(state: ConversationState, input: ConversationInput, deps: ConversationDeps): Turn {
  const turn = keepRecruiterLead(state, input, advance(state, input, deps), deps);
  return { state: turn.state, outputs: turn.outputs.filter((output) => !rendersEmpty(output)) };
}

function advance(state: ConversationState, input: ConversationInput, deps: ConversationDeps): Turn {
  if (input.type === 'check_result') {
    const answered = checkAnswered(state, input);
    const back = resumesAQuestion(answered.state) ? promptFor(answered.state) : [];
    return { state: answered.state, outputs: [...answered.outputs, ...back] };
  }
  if (
    input.type === 'report_submitted' ||
    input.type === 'status_result' ||
    input.type === 'addition_result' ||
    input.type === 'amendment_result' ||
    input.type === 'routing_described' ||
    input.type === 'withdraw_result'
  ) {
    return handleEffectResult(state, input, deps);
  }
  if (input.type === 'command') return handleCommand(state, input.command, deps);
  if (input.type === 'edited' || input.type === 'unsent') {
    if (state.mode !== 'report' && !state.submitted) return { state, outputs: [] };
    return correctTyped(state, input, deps);
  }
  if (
    state.step === step.awaitingEffect ||
    state.step === step.awaitingSubmit ||
    state.step === step.awaitingUrgentSubmit
  ) {
    return { state, outputs: [text('pleaseWait')] };
  }
  if (input.type === 'choice' && !pressFits(state, input)) {
    return { state, outputs: [text('earlierQuestion'), ...promptFor(state)] };
  }
  if (state.mode === 'check') return answerCheck(state, input);
  if (state.mode === 'status' || state.mode === 'add') return answerLookup(state, input, deps);
  if (state.mode === 'finished') {
    if (state.step === step.withdrawConfirm) return answerWithdraw(state, input, deps);
    return { state, outputs: [text('finishedHelp')] };
  }

  const attached = attachToReport(state, input, deps);
  if (attached) return attached;
  // Nothing in words (a sticker, which the channel thanks for in its own text first): the question, again.
  if (input.type === 'text' && !input.text.trim()) return { state, outputs: promptFor(state) };

  if (state.step === step.language) {
    const value = matchChoice(languageOptions(state.language), input, state, deps);
    if ((!value || !isLanguageCode(value)) && input.type === 'text' && !state.resumeStep)
      return keepEarlyWords(state, input.text.trim());
    if (!value || !isLanguageCode(value)) return { state, outputs: [text('pleaseChoose'), ...promptFor(state)] };
    const language = value as LanguageCode;
    const chosen = { ...state, language, draft: { ...state.draft, language } };
    if (state.resumeStep) return goTo({ ...chosen, resumeStep: undefined }, state.resumeStep, deps);
    return goTo({ ...chosen, history: [] }, questionnaire[0]!.id, deps);
  }
  if (state.step === step.withdrawConfirm) return answerWithdraw(state, input, deps);
  if (state.step === step.cancelConfirm) {
    const value = matchChoice(yesNoOptions, input, state, deps);
    if (value === 'yes') {
      return {
        state: {
          ...state,
          mode: 'finished',
          step: step.done,
          draft: { channel: state.channel, language: state.language },
          history: [],
          found: [],
          unresolved: [],
          typed: [],
          resumeStep: undefined,
          earlyWords: undefined,
        },
        outputs: [{ type: 'draft_deleted' }, text('cancelled')],
      };
    }
    if (value === 'no')
      return goTo({ ...state, resumeStep: undefined }, state.resumeStep ?? questionnaire[0]!.id, deps);
    return { state, outputs: [text('pleaseChoose'), ...promptFor(state)] };
  }
  if (state.step === step.summary) {
    const value = matchChoice(
      [
        { value: 'confirm', labelKey: 'options.confirm' },
        { value: 'edit', labelKey: 'options.edit' },
      ],
      input,
      state,
      deps,
    );
    if (value === 'edit') return goTo(state, step.editSection, deps);
    if (value === 'confirm') {
      const next = questionnaire
        .slice(questionnaire.findIndex((question) => question.id === summaryAfter) + 1)
        .find((question) => questionApplies(question, state, undefined));
      return goTo({ ...state, history: [...state.history, step.summary] }, next?.id ?? step.awaitingSubmit, deps);
    }
    return { state, outputs: [text('pleaseChoose'), ...promptFor(state)] };
  }
  if (state.step === step.editSection) {
    const value = matchChoice(
      editableSections.map(({ section, labelKey }) => ({ value: section, labelKey })),
      input,
      state,
      deps,
    ) as SectionId | undefined;
    if (!value) return { state, outputs: [text('pleaseChoose'), ...promptFor(state)] };
    const first = questionnaire.find(
      (question) => question.section === value && questionApplies(question, state, value),
    );
    if (!first) return goTo(state, step.summary, deps);
    return goTo({ ...state, returnToSummary: true, resumeStep: value }, first.id, deps);
  }

  const question = questionById(state.step);
  if (!question) return { state, outputs: promptFor(state) };
  let answer: string | undefined;
  if (question.kind === 'choice') answer = matchChoice(question.options?.(state) ?? [], input, state, deps);
  else if (question.kind === 'text')
    answer = input.type === 'text' && input.text.trim() ? input.text.trim() : undefined;
  else answer = matchChoice([{ value: 'done', labelKey: 'options.evidenceDone' }], input, state, deps);
  if (answer === undefined) {
    const key =
      question.kind === 'choice' ? 'pleaseChoose' : question.kind === 'evidence' ? 'pleaseSendFile' : 'pleaseWrite';
    return { state, outputs: [text(key), ...promptFor(state)] };
  }
  const editing = state.returnToSummary ? (state.resumeStep as SectionId | undefined) : undefined;
  const fitted = fitLongAnswer(state, question, answer);
  const applied = question.apply(fitted.state, fitted.answer, deps);
  const remembered =
    question.kind === 'text' && input.type === 'text'
      ? rememberTyped(applied, input.messageId, question.id, answer)
      : applied;
  // A country just became known: the local numbers kept so far are read in it.
  const answered = { ...rereadUnresolved(remembered, deps), history: [...state.history, question.id] };

  // Danger first: the very first answer after "I am in danger / held" carries the emergency numbers.
  if (question.id === 'safety' && urgentNow(answered)) {
    const turn = goTo(answered, nextStepAfter(answered, question.id, editing), deps);
    return { state: turn.state, outputs: [dangerContacts(answered, deps), ...turn.outputs] };
  }
  // Once they said where and agreed, an urgent report is stored before any other question.
  if (question.id === 'dangerConsent' && !answered.submitted) {
    const { state: submitting, output } = submitEffect({ ...answered, step: step.awaitingUrgentSubmit }, deps);
    return { state: submitting, outputs: [dangerContacts(submitting, deps), output] };
  }
  // The country, asked after the urgent report was stored: its numbers, then the story.
  if (question.id === 'dangerCountry' && answered.submitted && !editing)
    return afterUrgentCountry(state, answered, deps);
  // A stored report's consent is not taken back by an answer: "no" to sharing it is the question of withdrawing it.
  if (
    answered.submitted &&
    state.draft.consent?.shareWithLawEnforcement === true &&
    answered.draft.consent?.shareWithLawEnforcement === false
  ) {
    const kept = { ...answered, draft: patchSection(answered.draft, 'consent', { shareWithLawEnforcement: true }) };
    return goTo({ ...kept, resumeStep: nextStepAfter(kept, question.id, editing) }, step.withdrawConfirm, deps);
  }
  // After the urgent report, every answer goes to it as structured fields.
  const amended = amendEffect(answered, amendmentBetween(state.draft, answered.draft), deps);
  // A list pressed one item at a time (the screening) stays on its question while it has more to press.
  const next = question.again?.(amended.state, answer)
    ? question.id
    : nextStepAfter(amended.state, question.id, editing);
  if (next === step.awaitingSubmit && !amended.state.submitted) {
    const { state: submitting, output } = submitEffect({ ...amended.state, step: step.awaitingSubmit }, deps);
    return { state: submitting, outputs: [text('saving'), output] };
  }
  const turn = goTo(amended.state, next, deps);
  return { state: turn.state, outputs: [...amended.outputs, ...turn.outputs] };
}

/** After /cancel once a report is stored: withdraw it (kept by the hotline, marked withdrawn, agencies told) or not. */
function answerWithdraw(state: ConversationState, input: ConversationInput, deps: ConversationDeps): Turn {
  const value = matchChoice(yesNoOptions, input, state, deps);
  if (value === 'yes' && state.submitted) {
    const amendments = (state.amendments ?? 0) + 1;
    return {
      state: { ...state, step: step.awaitingEffect, amendments },
      outputs: [
        {
          type: 'effect',
          effect: {
            kind: 'withdraw_report',
            ...state.submitted,
            key: turnKey(deps, 'withdraw', amendments),
          },
        },
      ],
    };
  }
  if (value === 'no') {
    const back = state.resumeStep ?? step.done;
    const resumed = { ...state, resumeStep: undefined, step: back };
    return { state: resumed, outputs: [text('notWithdrawn'), ...promptFor(resumed)] };
  }
  return { state, outputs: [text('pleaseChoose'), ...promptFor(state)] };
}

/** The question the conversation is at, asked again (someone coming back after blocking the bot). */
export function currentPrompt(state: ConversationState): ConversationOutput[] {
  return promptFor(state).filter((output) => !rendersEmpty(output));
}

export const conversationSteps = step;
