import { describe, expect, it } from 'vitest';
import { toLineMessages } from '../../bots/line/line-messages.js';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';
import { yesNoOptions } from '../../intake/conversation/choice-options.js';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../../intake/i18n/create-i18n.js';
import { languageCodes } from '../../intake/i18n/languages.js';

/**
 * Texts that depend on where they are read: LINE has no /hide (its reader is
 * told how to clear the chat instead), and a yes/no button answers its own
 * question ("may we…?" is not answered by "that is right" in Thai, Lao or Burmese).
 */

const i18n = createI18n(loadLocaleResources(defaultLocalesDir));

/** Every text a LINE message shows: a text, or a Flex card's alternative text and its lines. */
function lineTexts(messages: ReturnType<typeof toLineMessages>): string {
  return JSON.stringify(messages);
}

describe.each([...languageCodes])('on LINE in %s', (language) => {
  const t = i18n.getFixedT(language, 'conversation');

  it('the receipt advises clearing the chat, never /hide', () => {
    const receipt = {
      type: 'receipt',
      reference: 'RL-7K3M-9QX2',
      receiptCode: '4XK9-M2QD-7TRB',
      routingLines: [],
      adviceKeys: ['advice.embassy', 'advice.keepPhoneSafe'],
    } as unknown as ConversationOutput;
    const shown = lineTexts(toLineMessages([receipt], t));
    expect(shown).toContain(JSON.stringify(t('advice.keepPhoneSafe_line')).slice(1, -1));
    expect(shown).not.toContain('/hide');
  });

  it('the help lists no /hide, where Telegram’s does', () => {
    const help = { type: 'text', key: 'help' } as ConversationOutput;
    expect(lineTexts(toLineMessages([help], t))).not.toContain('/hide');
    expect(
      renderOutputs([help], t)
        .map((message) => ('text' in message ? message.text : ''))
        .join(''),
    ).toContain('/hide');
  });
});

describe('yes and no', () => {
  const buttonsOf = (language: string, question: string) => {
    const t = i18n.getFixedT(language, 'conversation');
    const output = { type: 'choices', key: `questions.${question}`, options: yesNoOptions } as ConversationOutput;
    const [message] = renderOutputs([output], t);
    return message && 'buttons' in message ? (message.buttons ?? []).map((button) => button.label) : [];
  };

  it.each(['dangerConsent', 'dangerConsentThem', 'consentShare', 'consentContact', 'cancelConfirm', 'withdrawConfirm'])(
    'answer "%s" in that question’s own words',
    (question) => {
      for (const language of languageCodes) {
        const t = i18n.getFixedT(language, 'conversation');
        expect(buttonsOf(language, question)).toEqual([t(`options.yes_${question}`), t(`options.no_${question}`)]);
      }
    },
  );

  it('differ between "may we…?" and "is this right?" where the language needs it', () => {
    for (const language of ['th', 'lo', 'my']) {
      expect(buttonsOf(language, 'consentShare')).not.toEqual(buttonsOf(language, 'confirmFound'));
      const t = i18n.getFixedT(language, 'conversation');
      expect(buttonsOf(language, 'confirmFound')).toEqual([t('options.yes'), t('options.no')]);
    }
  });
});
