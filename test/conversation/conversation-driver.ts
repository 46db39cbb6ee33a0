import { extractIndicators } from '../../intake/indicators/extract-indicators.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { advanceConversation, startConversation } from '../../intake/conversation/conversation-engine.js';
import type {
  ConversationDeps,
  ConversationEffect,
  ConversationInput,
  ConversationOutput,
  ConversationState,
} from '../../intake/conversation/conversation-types.js';
import { emergencyContactsFor } from '../../intake/routing/emergency-contacts.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { parseReportInput } from '../../intake/report/validate-report.js';

export const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
const directory = loadAgencyDirectory();

export const deps: ConversationDeps = {
  extractIndicators,
  emergencyContacts: (country, nationality, language) =>
    emergencyContactsFor(directory, country, i18n.getFixedT(language, 'routing'), language, nationality),
  conversationId: 'test-conversation',
};

/**
 * Plays a conversation through the pure engine, acting as the runner for
 * effects: a submitted report is validated with the real report model and
 * answered with a reference, so a test sees exactly what would be stored.
 */
export class ConversationDriver {
  state: ConversationState;
  outputs: ConversationOutput[] = [];
  readonly submitted: Array<{ content: unknown; key: string }> = [];
  readonly additions: Array<Extract<ConversationEffect, { kind: 'add_to_report' }>> = [];
  statusAnswer: ConversationInput = {
    type: 'status_result',
    found: true,
    statusKey: 'status.referred',
    staffMessages: ['We sent it to the police.'],
  };

  constructor(languageHint?: string) {
    const turn = startConversation({ channel: 'telegram', languageHint: languageHint ?? null });
    this.state = turn.state;
    this.outputs = turn.outputs;
  }

  send(input: ConversationInput | string): ConversationOutput[] {
    const normalized: ConversationInput =
      typeof input === 'string'
        ? input.startsWith('/')
          ? { type: 'command', command: input.slice(1) as never }
          : { type: 'text', text: input }
        : input;
    let turn = advanceConversation(this.state, normalized, deps);
    const shown: ConversationOutput[] = [];
    for (let round = 0; round < 10; round += 1) {
      shown.push(...turn.outputs.filter((output) => output.type !== 'effect'));
      const effects = turn.outputs.filter(
        (output): output is Extract<ConversationOutput, { type: 'effect' }> => output.type === 'effect',
      );
      this.state = turn.state;
      if (effects.length === 0) break;
      const results: ConversationInput[] = effects.map(({ effect }) => this.#perform(effect));
      const outputs: ConversationOutput[] = [];
      for (const result of results) {
        const next = advanceConversation(this.state, result, deps);
        this.state = next.state;
        outputs.push(...next.outputs);
      }
      turn = { state: this.state, outputs };
    }
    this.outputs = shown;
    return shown;
  }

  choose(value: string): ConversationOutput[] {
    return this.send({ type: 'choice', value });
  }

  #perform(effect: ConversationEffect): ConversationInput {
    if (effect.kind === 'submit_report') {
      parseReportInput(effect.content);
      this.submitted.push({ content: effect.content, key: effect.submissionKey });
      return {
        type: 'report_submitted',
        reference: 'RL-7K3M-9QX2',
        receiptCode: '4XK9-M2QD-7TRB',
        routingLines: ['Main contact: Cambodian National Police.'],
      };
    }
    if (effect.kind === 'lookup_status') return this.statusAnswer;
    this.additions.push(effect);
    return { type: 'addition_result', ok: true };
  }

  /** The i18next keys of what was last shown, in order. */
  keys(): string[] {
    return this.outputs.map((output) => ('key' in output ? output.key : output.type));
  }

  /** What was last shown, rendered in a language, as a person reads it. */
  rendered(language: LanguageCode = this.state.language): string {
    const t = i18n.getFixedT(language, 'conversation');
    return this.outputs
      .map((output) => {
        if (output.type === 'text') return t(output.key, output.params);
        if (output.type === 'choices')
          return `${t(output.key, output.params)} [${output.options.map((option) => option.label ?? t(option.labelKey ?? '')).join(' | ')}]`;
        if (output.type === 'request_file' || output.type === 'request_location') return t(output.key);
        if (output.type === 'receipt') return `${output.reference} ${output.receiptCode}`;
        if (output.type === 'contacts')
          return output.contacts.map((contact) => `${contact.label}: ${contact.phone ?? contact.url}`).join('; ');
        return output.type;
      })
      .join('\n');
  }
}
