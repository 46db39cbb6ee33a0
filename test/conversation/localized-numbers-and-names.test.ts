import { describe, expect, it } from 'vitest';
import { ConversationDriver } from './conversation-driver.js';

/** Medium findings of issue 14 in the conversation: agency names in the person's language, written number forms. */
describe('names and numbers as the person writes and reads them', () => {
  it('the emergency numbers name Cambodia’s police in Chinese, not in English, for a Chinese speaker held there', async () => {
    const driver = await ConversationDriver.start('zh');
    const seen: string[] = [];
    for (const value of ['zh', 'held', 'me', 'yes', 'KH']) {
      await driver.choose(value);
      seen.push(driver.rendered('zh'));
      // The numbers' agencies, as the bots show them beside each number.
      for (const output of driver.outputs)
        if (output.type === 'contacts') seen.push(...output.contacts.map((contact) => contact.agency));
    }
    const shown = seen.join('\n');
    expect(shown).toContain('柬埔寨国家警察');
    expect(shown).not.toContain('Cambodian National Police');
  });

  it('reads a caller’s number written in full-width digits and dashes once the country is known (Japanese)', async () => {
    const driver = await ConversationDriver.start('ja');
    await driver.choose('ja');
    await driver.choose('safe');
    await driver.send('警察を名乗る人から電話があり、お金を振り込みました');
    if (driver.keys()[0] === 'questions.confirmFound') await driver.choose('yes');
    await driver.choose('voice_phishing');
    await driver.send('警察官を名乗る男');
    await driver.send('０９０－１２３４－５６７８');
    for (let i = 0; i < 12 && driver.state.step !== 'summary'; i += 1) {
      if (driver.state.step === 'nationality' || driver.state.step === 'currentCountry') await driver.choose('JP');
      else await driver.send('/skip');
    }
    // Kept whole as a phone, not left out as neither a name nor a number.
    expect(driver.state.draft.suspects?.phones).toContain('+819012345678');
  });

  it('reads a number written with Arabic-Indic digits in a conversation answer (Arabic, in the Emirates)', async () => {
    const driver = await ConversationDriver.start('ar');
    await driver.choose('ar');
    await driver.choose('safe');
    await driver.send('اتصل بي شخص ادعى أنه من البنك على الرقم +٩٧١ ٥٠ ١٢٣ ٤٥٦٧');
    expect(JSON.stringify(driver.state.found)).toContain('+971501234567');
  });
});
