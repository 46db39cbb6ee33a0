import { describe, expect, it } from 'vitest';
import { ConversationDriver } from './conversation-driver.js';

/**
 * A person in danger often types before pressing anything ("I am held", "help"). What they typed is kept, they
 * are told the way to help, and after choosing the language one press brings the emergency numbers.
 */
describe('words typed before the language is chosen', () => {
  it('"I am held" in Burmese: kept, and the numbers come with the first press after the language', async () => {
    const driver = await ConversationDriver.start('my');
    const held = 'ကျွန်တော့်ကို ရုံးခန်းထဲမှာ ပိတ်ထားတယ်';
    await driver.send(held);
    expect(driver.keys()).toEqual(['wordsKeptChooseLanguage', 'questions.language']);
    await driver.choose('my');
    expect(driver.keys()).toEqual(['questions.safety']);
    // One message after choosing the language: the numbers come first.
    await driver.choose('held');
    expect(driver.keys()[0]).toBe('emergencyNumbers');
    await driver.choose('me');
    await driver.choose('yes');
    await driver.choose('MM');
    // The urgent report stored at consent already holds what was typed first.
    expect(driver.submitted).toHaveLength(1);
    const stored = await driver.intake.reports.getReportById(driver.submitted[0]!.reportId);
    expect(stored?.report.incident.narrative).toBe(held);
  });

  it('"help" typed first in Lao stays the beginning of the story the person then writes', async () => {
    const driver = await ConversationDriver.start('lo');
    await driver.send('help');
    expect(driver.keys()).toEqual(['wordsKeptChooseLanguage', 'questions.language']);
    await driver.choose('lo');
    await driver.choose('safe');
    await driver.send('ເຂົາເອົາໜັງສືຜ່ານແດນຂອງຂ້ອຍໄປ');
    expect(driver.state.draft.incident?.narrative).toBe('help\n\nເຂົາເອົາໜັງສືຜ່ານແດນຂອງຂ້ອຍໄປ');
    // Kept once: a later edit of the story from the summary does not bring it back twice.
    expect(driver.state.earlyWords).toBeUndefined();
  });

  it('English words with an Arabic hint, twice: both kept, the numbers still one press after the language', async () => {
    const driver = await ConversationDriver.start('ar');
    await driver.send('I am held');
    await driver.send('please help');
    expect(driver.keys()).toEqual(['wordsKeptChooseLanguage', 'questions.language']);
    expect(driver.rendered()).not.toMatch(/We kept what you wrote/);
    await driver.choose('ar');
    await driver.choose('danger');
    expect(driver.keys()[0]).toBe('emergencyNumbers');
    expect(driver.state.draft.incident?.narrative).toBe('I am held\n\nplease help');
  });

  it('/cancel before a report forgets the early words with the draft (Khmer)', async () => {
    const driver = await ConversationDriver.start('km');
    await driver.send('ជួយខ្ញុំផង');
    await driver.choose('km');
    await driver.send('/cancel');
    await driver.choose('yes');
    expect(driver.state.draft.incident).toBeUndefined();
    expect(driver.state.earlyWords).toBeUndefined();
  });
});
