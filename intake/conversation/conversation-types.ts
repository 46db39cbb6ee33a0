import type { Indicator } from '../indicators/indicator.js';
import type { LanguageCode } from '../i18n/languages.js';
import type { Channel, ReportInput } from '../report/report-schema.js';
import type { ReportAmendmentInput } from '../report/report-amendment.js';
import type { Evidence } from '../store/report-followups.js';
import type { RecruiterLead } from '../recruiters/recruiter-lead.js';
import type { CheckAnswerOutput, CheckEffect, CheckResultInput, CheckReturn } from './check-types.js';

export const conversationCommands = [
  'start',
  'language',
  'back',
  'skip',
  'cancel',
  'status',
  'add',
  'hide',
  'help',
  'check',
] as const;
export type ConversationCommand = (typeof conversationCommands)[number];

/** What a person did (typed, chose, sent a file or a location, used a command), or what an effect returned. */
export type ConversationInput =
  /**
   * `messageId`: the platform's id of the message, so a later edit or unsend can find what it said. `forwardedFrom`:
   * whom a forwarded message or a shared contact card came from (recruiter-lead.ts), kept in the report's suspects.
   */
  | { type: 'text'; text: string; messageId?: string; forwardedFrom?: RecruiterLead }
  /** `question`: the step the pressed button was shown for (absent for typed answers and old buttons). */
  | { type: 'choice'; value: string; question?: string }
  | { type: 'file'; file: Evidence; messageId?: string; forwardedFrom?: RecruiterLead }
  /** `unavailable`: the platform no longer has the content (expired, deleted, transcoding failed). */
  | { type: 'file_rejected'; reason: 'too_large' | 'type_not_allowed' | 'unavailable' }
  /** The person changed a message they sent earlier (Telegram edited_message). */
  | { type: 'edited'; messageId: string; text: string }
  /** The person took a message back (LINE unsend). */
  | { type: 'unsent'; messageId: string }
  | { type: 'location'; latitude: number; longitude: number }
  | { type: 'command'; command: ConversationCommand }
  | { type: 'report_submitted'; reference: string; receiptCode: string; routingLines: string[] }
  | { type: 'status_result'; found: boolean; statusKey?: string; staffMessages?: string[] }
  | { type: 'addition_result'; ok: boolean }
  | { type: 'amendment_result'; ok: boolean }
  | { type: 'routing_described'; routingLines: string[] }
  | { type: 'withdraw_result'; found: boolean; withdrawn: boolean; alreadyWithdrawn: boolean }
  /** The answer to /check (check-mode.ts): verdicts and advice only, never what was checked. */
  | CheckResultInput;

export interface ChoiceOption {
  value: string;
  /** A key in the `conversation` namespace, or a ready label (a language or country name). */
  labelKey?: string;
  label?: string;
}

/** What the channel shows or does. Texts are i18next keys in the `conversation` namespace. */
export type ConversationOutput =
  | { type: 'text'; key: string; params?: Record<string, string> }
  /** `question`: the step these buttons answer (ASCII, at most 24 characters), carried in each button's data. */
  | { type: 'choices'; key: string; params?: Record<string, string>; options: ChoiceOption[]; question: string }
  | { type: 'request_location'; key: string }
  | { type: 'request_file'; key: string; options: ChoiceOption[]; question: string }
  /**
   * Emergency numbers under a heading, then the lines that always follow them (how to reach the hotline, and
   * that staff decide when no country is known): never an empty message, even with no number to show.
   */
  | { type: 'contacts'; key: string; contacts: EmergencyContactView[]; afterKeys: string[] }
  | { type: 'summary'; lines: Array<{ labelKey: string; value?: string; valueKey?: string }> }
  | { type: 'receipt'; reference: string; receiptCode: string; routingLines: string[]; adviceKeys: string[] }
  | CheckAnswerOutput
  | { type: 'hide_messages' }
  /** The draft was deleted (/cancel before a report was stored): what the conversation kept of it goes too. */
  | { type: 'draft_deleted' }
  | { type: 'effect'; effect: ConversationEffect };

export interface EmergencyContactView {
  label: string;
  agency: string;
  phone?: string;
  url?: string;
}

/** Work the runner does outside the pure engine, then feeds the result back as an input. */
export type ConversationEffect =
  | { kind: 'submit_report'; content: ReportInput; submissionKey: string }
  | { kind: 'lookup_status'; reference: string; receiptCode: string }
  | {
      kind: 'add_to_report';
      reference: string;
      receiptCode: string;
      text?: string;
      file?: Evidence;
      /** Asked after an urgent report was stored: whether we may contact them, which the report then records. */
      contactBack?: boolean;
    }
  /** Fields added to (or corrected in) a stored report, through the amend operation; keyed so a retry is one. */
  | { kind: 'amend_report'; reference: string; receiptCode: string; changes: ReportAmendmentInput; key: string }
  | { kind: 'withdraw_report'; reference: string; receiptCode: string; key: string }
  /** What the person took back from a stored report that only staff can remove: recorded on the case for them. */
  | { kind: 'request_correction'; reference: string; receiptCode: string; removals: string[]; key: string }
  /** Where a stored report goes now, in sentences for the reporter (after amendments may have added agencies). */
  | { kind: 'describe_routing'; reference: string; receiptCode: string }
  | CheckEffect;

/** A report being gathered: like the report model, but consent may not be answered yet. */
export type DraftReport = Omit<ReportInput, 'consent'> & {
  consent?: { shareWithLawEnforcement?: boolean; contactBack?: boolean };
};

export type ConversationMode = 'report' | 'status' | 'add' | 'finished' | 'check';

export interface ConversationState {
  version: 1;
  channel: Channel;
  language: LanguageCode;
  mode: ConversationMode;
  step: string;
  /** Steps answered, most recent last, for /back. */
  history: string[];
  draft: DraftReport;
  /** Indicators found in the story, waiting for the reporter to confirm them. */
  found: Indicator[];
  /** After editing a section from the summary, go back to the summary. */
  returnToSummary: boolean;
  /** The report this conversation stored (the urgent one, or the final one). */
  submitted?: { reference: string; receiptCode: string };
  /** Submissions made so far, so that each has its own idempotency key. */
  submissions: number;
  /** Reference and code being asked for /status or /add. */
  lookup: { reference?: string; receiptCode?: string };
  /** Where to return after /language or an answered /cancel question. */
  resumeStep?: string;
  /** A country the channel suggested (the region of the person's language tag), for the first emergency numbers. */
  suggestedCountry?: string;
  /** Who is in danger: the reporter, or someone they report for (then the victim fields are that person's). */
  inDanger?: 'me' | 'someoneElse';
  /** Amendments asked for so far, so that each has its own idempotency key. */
  amendments?: number;
  /** Answers holding a local number that can be read only once a country is known; re-read then. */
  unresolved?: Array<{ source: string; text: string }>;
  /** Where each typed message went (bounded), so an edit replaces it and an unsend removes it. */
  typed?: TypedAnswer[];
  /**
   * Words typed before a language was chosen ("I am held"): already kept as the story, and put before the
   * person's own answer to the story question, so answering it does not overwrite them.
   */
  earlyWords?: string;
  /** While /check runs (check-mode.ts): where to go back to afterwards. Never what is being checked. */
  checkReturn?: CheckReturn;
}

/** A typed message and the field it was kept in. */
export interface TypedAnswer {
  messageId: string;
  /** A report field path (`incident.narrative`, `suspects.names`, `trafficking.promisedJob`…). */
  field: string;
  text: string;
}

export interface ConversationDeps {
  extractIndicators(text: string, options: { source: string; defaultCountry?: string }): Indicator[];
  emergencyContacts(
    country: string | undefined,
    nationality: string | undefined,
    language: LanguageCode,
  ): EmergencyContactView[];
  /** Stable for the conversation: submissions are keyed by it, so a retried effect stores nothing twice. */
  conversationId: string;
  /** The update being handled: amendments are keyed by it, so its redelivery changes nothing twice. */
  updateKey?: string;
  /** A button label as the person saw it, so typing it answers like pressing it. */
  label?(key: string, language: LanguageCode): string;
}
