import { describe, expect, it } from 'vitest';
import { renderOutputs } from '../../intake/conversation/chat-messages.js';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import type { LanguageCode } from '../../intake/i18n/languages.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { describeStoredRouting } from '../../intake/routing/describe-stored-routing.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { ConversationDriver, i18n } from './conversation-driver.js';

const directory = loadAgencyDirectory();

/** The messages a chat would show for these outputs, as the person reads them. */
function messages(outputs: ConversationOutput[], language: LanguageCode) {
  return renderOutputs(outputs, i18n.getFixedT(language, 'conversation'));
}

function contactsOf(outputs: ConversationOutput[]) {
  const contacts = outputs.find((output) => output.type === 'contacts');
  if (contacts?.type !== 'contacts') throw new Error('no emergency numbers were shown');
  return contacts;
}

describe('danger first', () => {
  it('shows a held Burmese speaker Myanmar’s 199 in the very first answer after "I am held"', async () => {
    const driver = await ConversationDriver.start('my');
    await driver.choose('my');
    await driver.choose('held');
    expect(driver.keys()).toEqual(['emergencyNumbers', 'questions.dangerWho']);
    const [numbers] = messages(driver.outputs, 'my');
    expect(numbers?.kind === 'text' && numbers.text).toContain('199');
    expect(contactsOf(driver.outputs).afterKeys).toContain('hotlineReach');
  });

  it('adds the numbers of the country the channel suggests (Vietnamese from a Korean phone)', async () => {
    const driver = await ConversationDriver.start('vi-KR');
    await driver.choose('vi');
    await driver.choose('danger');
    const phones = contactsOf(driver.outputs).contacts.map((contact) => contact.phone);
    expect(phones).toEqual(expect.arrayContaining(['112', '113']));
  });

  it.each([
    ['lo', 'other'],
    ['km', '/skip'],
  ] as const)(
    'never sends an empty contacts message when the country is unknown (%s, %s): numbers, staff decide, hotline',
    async (language, answer) => {
      const driver = await ConversationDriver.start(language);
      await driver.choose(language);
      await driver.choose('held');
      await driver.choose('me');
      expect(driver.keys()).toEqual(['questions.dangerConsent']);
      await driver.choose('yes');
      const burst = messages(driver.outputs, language);
      // At most three messages: numbers, the reference, and the country question last (LINE shows its quick reply).
      expect(burst.length).toBeLessThanOrEqual(3);
      expect(burst.every((message) => message.kind === 'hide' || message.text.trim().length > 0)).toBe(true);
      const contacts = contactsOf(driver.outputs);
      expect(contacts.contacts.length).toBeGreaterThan(0);
      // No country yet: staff decide, and the person is told so.
      expect(contacts.afterKeys).toEqual(['staffDecide', 'hotlineReach']);
      const reference = driver.outputs.find((output) => output.type === 'text' && output.key.startsWith('urgentSaved'));
      expect(reference?.type === 'text' && reference.params?.reference).toBe(driver.submitted[0]!.reference);
      expect(reference?.type === 'text' && reference.params?.receiptCode).toBe(driver.submitted[0]!.receiptCode);
      expect(driver.keys().at(-1)).toBe('questions.dangerCountry');
      // No country given: nothing empty, no second list of the same numbers, the location request.
      if (answer === '/skip') await driver.send('/skip');
      else await driver.choose(answer);
      expect(driver.keys()).toEqual(['shareLocationThenStory']);
      expect(messages(driver.outputs, language).at(-1)?.kind).toBe('location_request');
      expect(driver.submitted).toHaveLength(1);
    },
  );

  it('with no number known at all, still says who decides and how to reach the hotline', async () => {
    const driver = await ConversationDriver.start('en');
    await driver.choose('en');
    await driver.choose('danger');
    await driver.choose('me');
    await driver.choose('yes');
    const contacts = contactsOf(driver.outputs);
    expect(contacts.contacts).toEqual([]);
    expect(contacts.key).toBe('noEmergencyNumbers');
    expect(contacts.afterKeys).toEqual(['staffDecide', 'hotlineReach']);
    const [numbers] = messages(driver.outputs, 'en');
    expect(numbers?.kind === 'text' && numbers.text.split('\n')).toHaveLength(3);
  });

  it('reports for someone else held: urgency, numbers and routing follow that person (Arabic, sister in the Emirates)', async () => {
    const driver = await ConversationDriver.start('ar');
    await driver.choose('ar');
    await driver.choose('held');
    await driver.choose('someoneElse');
    expect(driver.keys()).toEqual(['questions.dangerConsentThem']);
    await driver.choose('yes');
    expect(driver.keys()).toEqual([
      'emergencyNumbersThem',
      expect.stringMatching(/^urgentSaved/),
      'questions.dangerCountryThem',
    ]);
    const { reportId } = driver.submitted[0]!;
    expect(parseReportInput(driver.submitted[0]!.content)).toMatchObject({
      reporterRole: 'family_or_friend',
      safety: { heldAgainstWill: true },
    });
    const routedBefore = await describeStoredRouting(
      driver.intake.routing,
      reportId,
      { reader: 'agency', language: 'ar' },
      { directory, i18n },
    );
    await driver.choose('AE');
    // Her country's numbers at once; the stored report amended with where she is, and routed there.
    expect(driver.keys()).toEqual(['emergencyNumbersThem', 'urgentTellMoreThem']);
    expect(contactsOf(driver.outputs).contacts.map((contact) => contact.phone)).toContain('999');
    expect(driver.amendments.at(-1)).toMatchObject({ reportId, changes: { victim: { currentCountry: 'AE' } } });
    expect((await driver.intake.reports.getReportById(reportId))?.report).toMatchObject({
      reporterRole: 'family_or_friend',
      victim: { currentCountry: 'AE' },
    });
    // Where the report goes is said about her, not "because you are held in …".
    const about = (reader: 'agency' | 'reporter') =>
      describeStoredRouting(driver.intake.routing, reportId, { reader, language: 'ar' }, { directory, i18n });
    // The amend operation re-routed it: where it goes now is not where it went before her country was known.
    expect(await about('agency')).not.toEqual(routedBefore);
    expect(await about('agency')).not.toEqual(await about('reporter'));
    // The rest of the questions are about that person.
    await driver.send('/skip');
    await driver.choose('fake_job_compound');
    // The trafficking screening, about her too.
    expect(driver.keys()).toEqual(['screening.questionThem']);
    await driver.send('/skip');
    await driver.send('/skip');
    await driver.send('/skip');
    expect(driver.keys()).toEqual(['questions.compoundPlaceThem']);
  });
});
