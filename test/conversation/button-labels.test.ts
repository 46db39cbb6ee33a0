import { describe, expect, it } from 'vitest';
import { optionLabel } from '../../intake/conversation/chat-messages.js';
import { countryOptions, languageOptions, yesNoOptions } from '../../intake/conversation/choice-options.js';
import { startConversation } from '../../intake/conversation/conversation-engine.js';
import type { ChoiceOption } from '../../intake/conversation/conversation-types.js';
import { editableSections, questionnaire } from '../../intake/conversation/questionnaire.js';
import { languageCodes } from '../../intake/i18n/languages.js';
import { i18n } from './conversation-driver.js';

const segmenter = new Intl.Segmenter();
const graphemes = (text: string) => [...segmenter.segment(text)].length;

/** Every set of buttons the conversation can show, in a language. */
function everyOption(language: (typeof languageCodes)[number]): Array<{ where: string; option: ChoiceOption }> {
  const { state } = startConversation({ channel: 'line', languageHint: language });
  const sets: Array<[string, ChoiceOption[]]> = [
    ['language', languageOptions(language)],
    ['yesNo', yesNoOptions],
    ['countries', countryOptions(language)],
    ['editSection', editableSections.map(({ section, labelKey }) => ({ value: section, labelKey }))],
    [
      'summary',
      [
        { value: 'confirm', labelKey: 'options.confirm' },
        { value: 'edit', labelKey: 'options.edit' },
      ],
    ],
    ['evidence', [{ value: 'done', labelKey: 'options.evidenceDone' }]],
    ['shareLocation', [{ value: 'location', labelKey: 'options.short.shareLocation' }]],
    ...questionnaire
      .filter((question) => question.options)
      .map((question): [string, ChoiceOption[]] => [question.id, question.options!({ ...state, language })]),
  ];
  return sets.flatMap(([where, options]) => options.map((option) => ({ where, option })));
}

describe('button labels fit LINE (20 graphemes) in every language', () => {
  it.each(languageCodes)('%s', (language) => {
    const t = i18n.getFixedT(language, 'conversation');
    const tooLong = everyOption(language)
      .map(({ where, option }) => ({ where, value: option.value, label: optionLabel(t, option) }))
      .filter(({ label }) => graphemes(label) > 20 || label.startsWith('options.'));
    expect(tooLong).toEqual([]);
  });

  it('the safety buttons are worded to fit, not cut, in Burmese, Vietnamese, Lao, Khmer and Arabic', () => {
    for (const language of ['my', 'vi', 'lo', 'km', 'ar'] as const) {
      const t = i18n.getFixedT(language, 'conversation');
      const safety = questionnaire.find((question) => question.id === 'safety')!;
      const { state } = startConversation({ channel: 'line', languageHint: language });
      for (const option of safety.options!(state)) {
        const label = optionLabel(t, option);
        expect(graphemes(label), `${language} ${option.value}`).toBeLessThanOrEqual(20);
        expect(label).not.toMatch(/…$/);
      }
    }
  });
});
