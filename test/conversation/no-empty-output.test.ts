import { describe, expect, it } from 'vitest';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';
import { advanceConversation, startConversation } from '../../intake/conversation/conversation-engine.js';
import type {
  ConversationInput,
  ConversationOutput,
  ConversationState,
} from '../../intake/conversation/conversation-types.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { deps, i18n } from './conversation-driver.js';

/** What the runner would feed back for an effect: a stored report, a found status, a done amendment. */
function resultOf(output: Extract<ConversationOutput, { type: 'effect' }>): ConversationInput | undefined {
  switch (output.effect.kind) {
    case 'submit_report':
      return { type: 'report_submitted', reference: 'RL-7K3M-9QX2', receiptCode: '4XK9-M2QD-7TRB', routingLines: [] };
    case 'lookup_status':
      return { type: 'status_result', found: true, statusKey: 'status.new' };
    case 'add_to_report':
      return { type: 'addition_result', ok: true };
    case 'amend_report':
      return { type: 'amendment_result', ok: true };
    case 'describe_routing':
      return { type: 'routing_described', routingLines: ['Main contact: …'] };
    case 'withdraw_report':
      return { type: 'withdraw_result', found: true, withdrawn: true, alreadyWithdrawn: false };
    case 'request_correction':
      // Recorded on the case for staff; the person was already told, nothing comes back.
      return undefined;
    case 'check_indicators':
      return {
        type: 'check_result',
        answer: {
          kind: 'checked',
          indicators: [
            { kind: 'phone', shown: '+66812345678', verdict: 'warning', advice: ['job_deposit', 'general'] },
          ],
        },
        disputeUrl: 'https://report.example.org/check/dispute',
      };
  }
}

/** One turn with its effects carried out, as the runner does. */
function turn(state: ConversationState, input: ConversationInput) {
  let next = advanceConversation(state, input, deps);
  const shown: ConversationOutput[] = [];
  let pending = next.outputs;
  for (let round = 0; round < 10 && pending.length > 0; round += 1) {
    shown.push(...pending.filter((output) => output.type !== 'effect'));
    const effects = pending.filter((output) => output.type === 'effect');
    pending = [];
    for (const effect of effects) {
      const result = resultOf(effect);
      if (!result) continue;
      next = advanceConversation(next.state, result, deps);
      pending.push(...next.outputs);
    }
  }
  return { state: next.state, shown };
}

/** Every answer a person could give at this point: each button, a skip, words, a file, a location, commands. */
function inputsFor(state: ConversationState, shown: ConversationOutput[]): ConversationInput[] {
  const asked = [...shown].reverse().find((output) => output.type === 'choices' || output.type === 'request_file');
  const presses: ConversationInput[] =
    asked && (asked.type === 'choices' || asked.type === 'request_file')
      ? asked.options.map((option) => ({ type: 'choice', value: option.value, question: asked.question }))
      : [];
  return [
    ...presses,
    { type: 'choice', value: 'yes', question: 'anEarlierQuestion' },
    { type: 'command', command: 'skip' },
    { type: 'command', command: 'cancel' },
    { type: 'command', command: 'back' },
    { type: 'command', command: 'check' },
    {
      type: 'text',
      text: state.step === 'narrative' ? 'Anh Hùng gọi từ 090 123 4567' : 'RL-7K3M-9QX2',
      messageId: 'm1',
    },
    { type: 'edited', messageId: 'm1', text: 'Hùng, +84 90 123 4567' },
    { type: 'unsent', messageId: 'm1' },
    { type: 'file', file: { fileName: 'a.ogg', mediaType: 'audio/ogg', size: 10, sha256: 'a'.repeat(64) } },
    { type: 'file_rejected', reason: 'unavailable' },
    { type: 'location', latitude: 16.8, longitude: 96.1 },
  ];
}

describe('the engine never shows an empty message', () => {
  it.each(['my', 'vi', 'ar'] as LanguageCode[])('on every path it can take, up to many turns deep (%s)', (language) => {
    const t = i18n.getFixedT(language, 'conversation');
    const start = startConversation({ channel: 'telegram', languageHint: language });
    // Besides the start, the walk starts at the steps where danger is told, so they are walked in full.
    const seeds = [[], ['held', 'me'], ['danger', 'someoneElse']].map((presses) => {
      let at = { state: start.state, shown: start.outputs };
      for (const value of [language, ...presses])
        at = turn(at.state, { type: 'choice', value, question: at.state.step });
      return at;
    });
    let frontier = seeds;
    const seen = new Set<string>();
    let turns = 0;
    for (let depth = 0; depth < 12 && frontier.length > 0; depth += 1) {
      const next: typeof frontier = [];
      // The widest levels are sampled: the states they hold differ only in what was typed.
      for (const { state, shown } of frontier.slice(0, 40)) {
        for (const input of inputsFor(state, shown)) {
          const after = turn(state, input);
          turns += 1;
          for (const message of renderOutputs(after.shown, t)) {
            if (message.kind === 'hide') continue;
            expect(message.text.trim(), `${state.step} + ${JSON.stringify(input)}`).not.toBe('');
            expect(message.text, `${state.step} + ${JSON.stringify(input)}`).not.toMatch(
              /(^|\s)(options|questions|categories)\.[\w.]+/,
            );
          }
          const key = `${after.state.step}|${after.state.mode}|${after.state.inDanger}|${Boolean(after.state.submitted)}|${after.state.draft.safety?.heldAgainstWill}|${after.state.draft.victim?.currentCountry}`;
          if (seen.has(key)) continue;
          seen.add(key);
          next.push(after);
        }
      }
      frontier = next;
    }
    // The walk really went through the conversation, the urgent path and the end included.
    expect(turns).toBeGreaterThan(200);
    expect([...seen].some((key) => key.startsWith('done|finished'))).toBe(true);
    expect([...seen].some((key) => key.includes('|true|true|'))).toBe(true);
    // …and the held person who could not say where they are.
    expect([...seen].some((key) => key.endsWith('|true|true|undefined'))).toBe(true);
  });
});
