import { describe, expect, it } from 'vitest';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { describeRouting } from '../../intake/routing/describe-routing.js';
import { agencyName } from '../../intake/routing/display-names.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import type { RoutingDecision } from '../../intake/routing/route-report.js';

/**
 * In a right-to-left line, a value with no letters of its own direction is
 * reordered by the reader's app: "+1-888-373-7888" shows as
 * "1-888-373-7888+", "/skip" as "skip/". Every value a chat text inserts, and
 * every command, code or number written in an Arabic text, must sit inside a
 * Unicode isolate (U+2066 LRI, U+2067 RLI or U+2068 FSI … U+2069 PDI).
 */

const i18n = createI18n(loadLocaleResources(defaultLocalesDir));
const directory = loadAgencyDirectory();
const opening = new Set(['\u2066', '\u2067', '\u2068']);
const closing = '\u2069';

/** Runs a right-to-left paragraph reorders: commands, phone numbers, codes, URLs, any number. */
const neutralRuns = /https?:\/\/[^\s\u2069]+|[+#/]?[A-Za-z0-9][A-Za-z0-9\-.:/+#]*/g;

/** The runs of a text that contain a digit or start with a sign, and stand outside every isolate. */
function unisolated(text: string): string[] {
  const found: string[] = [];
  for (const paragraph of text.split('\n')) {
    const depthAt: number[] = [];
    let depth = 0;
    for (const char of paragraph) {
      depthAt.push(depth);
      if (opening.has(char)) depth += 1;
      else if (char === closing) depth = Math.max(0, depth - 1);
    }
    const positions = [...paragraph];
    const offsets: number[] = [];
    let offset = 0;
    for (const char of positions) {
      offsets.push(offset);
      offset += char.length;
    }
    for (const match of paragraph.matchAll(neutralRuns)) {
      const run = match[0];
      if (!/\d|^[+#/]/.test(run)) continue; // a Latin word (LINE, Reportline) keeps its order by itself
      const index = offsets.indexOf(match.index);
      if ((depthAt[index] ?? 0) === 0) found.push(run);
    }
  }
  return found;
}

const decision: RoutingDecision = {
  urgent: true,
  withheld: false,
  primary: {
    agencyId: 'us-nhth',
    role: 'primary',
    reason: { key: 'reasons.primaryHeldWherePlace', params: { place: 'KK Park', country: 'MM' } },
  },
  copies: [{ agencyId: 'ae-moi', role: 'copy', reason: { key: 'reasons.copyIsIn', params: { country: 'AE' } } }],
};

/** The chat a reporter reads around a report: welcome, help, questions, receipt, contacts, routing, a staff message. */
function arabicChat(language: string): string[] {
  const t = i18n.getFixedT(language, 'conversation');
  const texts: ConversationOutput[] = [
    { type: 'text', key: 'welcome' },
    { type: 'text', key: 'help' },
    { type: 'text', key: 'questions.reference' },
    { type: 'text', key: 'questions.receiptCode' },
    { type: 'text', key: 'whatNext' },
    { type: 'text', key: 'receipt.keepSafe' },
    { type: 'text', key: 'receipt.reference', params: { reference: 'RL-7K3M-9QX2' } },
    { type: 'text', key: 'receipt.code', params: { code: '4XK9-M2QD-7TRB' } },
    { type: 'text', key: 'urgentSaved', params: { reference: 'RL-7K3M-9QX2', receiptCode: '4XK9-M2QD-7TRB' } },
    { type: 'text', key: 'fileReceived', params: { count: 3 } },
    { type: 'text', key: 'staffMessage', params: { message: 'Call 1343 now.' } },
  ] as ConversationOutput[];
  const rendered = renderOutputs(texts, t).flatMap((message) => ('text' in message ? [message.text] : []));
  const contacts = [
    { label: i18n.getFixedT(language, 'routing')('contacts.traffickingHotline'), contact: '+1-888-373-7888' },
    { label: i18n.getFixedT(language, 'routing')('contacts.onlineReport'), contact: 'https://www.ic3.gov/' },
    { label: i18n.getFixedT(language, 'routing')('contacts.policeAdvice'), contact: '#9110' },
  ].map(({ label, contact }) =>
    t('contactLine', { label, agency: agencyName(directory, 'us-fbi-ic3', language), contact }),
  );
  const routing = describeRouting(decision, { reader: 'reporter', language }, { directory, i18n });
  return [...rendered, ...contacts, ...routing];
}

describe('the Arabic chat', () => {
  it('keeps every number, reference, receipt code, command and URL whole, inside an isolate', () => {
    const texts = arabicChat('ar');
    expect(texts.join('\n')).toContain('\u2068+1-888-373-7888\u2069');
    expect(texts.join('\n')).toContain('\u2066/skip\u2069');
    expect(texts.flatMap(unisolated)).toEqual([]);
  });

  it('isolates an agency name in another script and a country in its own', () => {
    const routing = describeRouting(decision, { reader: 'reporter', language: 'ar' }, { directory, i18n });
    const name = agencyName(directory, 'us-nhth', 'ar');
    expect(routing[0]).toContain(`\u2068${name}\u2069`);
    const staff = describeRouting(decision, { reader: 'staff', language: 'ar' }, { directory, i18n });
    expect(staff.join('\n')).toContain(`\u2068${name}\u2069`);
  });

  it('leaves left-to-right languages without isolates', () => {
    for (const language of ['en', 'th', 'ko']) expect(arabicChat(language).join('\n')).not.toMatch(/[\u2066-\u2069]/);
  });
});

describe('the Arabic texts themselves', () => {
  it('write no command, code or number outside an isolate', () => {
    const resources = loadLocaleResources(defaultLocalesDir).ar ?? {};
    const offending: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (typeof value === 'string') {
        const withoutPlaceholders = value.replace(/\{\{[^}]+\}\}/g, '');
        for (const run of unisolated(withoutPlaceholders)) offending.push(`${path}: ${run}`);
      } else if (value && typeof value === 'object')
        for (const [key, child] of Object.entries(value))
          walk(child, path.endsWith(':') ? `${path}${key}` : `${path}.${key}`);
    };
    for (const [namespace, tree] of Object.entries(resources)) if (namespace !== 'api') walk(tree, `${namespace}:`);
    expect(offending).toEqual([]);
  });
});
