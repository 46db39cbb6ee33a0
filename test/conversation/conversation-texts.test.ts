import { describe, expect, it } from 'vitest';
import { languageCodes } from '../../intake/i18n/languages.js';
import { questionnaire } from '../../intake/conversation/questionnaire.js';
import { adviceFor } from '../../intake/conversation/advice.js';
import { incidentCategories } from '../../intake/report/report-schema.js';
import { ConversationDriver, i18n } from './conversation-driver.js';

/** Every text a reporter can be shown, in every language: no key shows through, no placeholder is left unfilled. */
describe.each([...languageCodes])('the conversation in %s', (language) => {
  const t = i18n.getFixedT(language, 'conversation');
  const assertReadable = (rendered: string) => {
    expect(rendered).not.toMatch(/\b(questions|options|categories|sections|summary|status|advice|receipt)\.\w+/);
    expect(rendered).not.toContain('{{');
  };

  it('has every question, option, category, section and piece of advice', async () => {
    for (const question of questionnaire) {
      expect(
        i18n.exists(`conversation:${question.promptKey}`, { lng: language, fallbackLng: false }),
        question.promptKey,
      ).toBe(true);
    }
    for (const category of incidentCategories) {
      for (const key of [`categories.${category}`, ...adviceFor(category, true)]) {
        expect(i18n.exists(`conversation:${key}`, { lng: language, fallbackLng: false }), key).toBe(true);
      }
    }
  });

  it('reads whole conversations without a key or placeholder showing', async () => {
    const driver = await ConversationDriver.start(language);
    const seen: string[] = [driver.rendered(language)];
    const script: Array<string | { type: 'choice'; value: string }> = [
      { type: 'choice', value: language },
      { type: 'choice', value: 'held' },
      { type: 'choice', value: 'KH' },
      { type: 'choice', value: 'yes' },
      'They took my passport. Call +855 12 345 678.',
      { type: 'choice', value: 'yes' },
      { type: 'choice', value: 'fake_job_compound' },
      '@recruiter_kh',
      'Customer service, 1500 USD',
      'Sihanoukville',
      'maybe',
      '/skip',
      '/back',
      '/help',
      '/skip',
      '/skip',
      { type: 'choice', value: 'done' },
      { type: 'choice', value: 'edit' },
      { type: 'choice', value: 'story' },
      '/skip',
      '/skip',
      '/skip',
      { type: 'choice', value: 'confirm' },
      '/skip',
      '/status',
      'RL-7K3M-9QX2',
      '4XK9-M2QD-7TRB',
      '/add',
      'RL-7K3M-9QX2',
      '4XK9-M2QD-7TRB',
      'More details.',
      '/hide',
      '/cancel',
      '/start',
    ];
    for (const step of script) {
      await driver.send(typeof step === 'string' ? step : step);
      seen.push(driver.rendered(language));
    }
    for (const rendered of seen) assertReadable(rendered);
    expect(t('receipt.reference', { reference: 'RL-7K3M-9QX2' })).toContain('RL-7K3M-9QX2');
  });
});
