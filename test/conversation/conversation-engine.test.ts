import { describe, expect, it } from 'vitest';
import { parseConversationState } from '../../intake/conversation/conversation-state.js';
import { advanceConversation } from '../../intake/conversation/conversation-engine.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { ConversationDriver, deps } from './conversation-driver.js';

const wallet = 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk';

describe('the reporting conversation', () => {
  it('offers the language the channel suggests first', async () => {
    const driver = await ConversationDriver.start('ko-KR');
    expect(driver.keys()).toEqual(['welcome', 'questions.language']);
    const choices = driver.outputs[1];
    expect(choices?.type === 'choices' && choices.options[0]).toEqual({ value: 'ko', label: '한국어' });
    expect(driver.rendered('ko')).toContain('안녕하세요');
  });

  it('puts safety first: a Korean held in Cambodia gets emergency numbers and an urgent report before any other question', async () => {
    const driver = await ConversationDriver.start('ko');
    await driver.choose('ko');
    expect(driver.keys()).toEqual(['questions.safety']);
    await driver.choose('held');
    // Numbers at once (Korea's, from the language), then who is held.
    expect(driver.keys()).toEqual(['emergencyNumbers', 'questions.dangerWho']);
    expect(driver.rendered()).toContain('112');
    await driver.choose('me');
    expect(driver.keys()).toEqual(['questions.dangerConsent']);
    await driver.choose('yes');
    // The urgent burst, the third answer after the language: numbers, the reference, then where they are.
    expect(driver.keys()).toEqual([
      'emergencyNumbers',
      expect.stringMatching(/^urgentSaved/),
      'questions.dangerCountry',
    ]);
    expect(driver.submitted).toHaveLength(1);
    expect(parseReportInput(driver.submitted[0]!.content)).toMatchObject({
      channel: 'telegram',
      language: 'ko',
      reporterRole: 'victim',
      safety: { heldAgainstWill: true },
      consent: { shareWithLawEnforcement: true },
    });
    // The country comes next: its numbers at once, the stored report amended with it, the location request last.
    await driver.choose('KH');
    expect(driver.keys()).toEqual(['emergencyNumbers', 'shareLocationThenStory']);
    expect(driver.rendered()).toContain('117');
    expect(driver.state.step).toBe('narrative');
    expect(driver.submitted).toHaveLength(1);
    expect(driver.amendments.at(-1)).toMatchObject({
      reportId: driver.submitted[0]!.reportId,
      changes: { victim: { currentCountry: 'KH' } },
    });
    const stored = await driver.intake.reports.getReportById(driver.submitted[0]!.reportId);
    expect(stored?.report).toMatchObject({ victim: { currentCountry: 'KH' } });

    // A location shared later goes to the same report, as its coordinates.
    await driver.send({ type: 'location', latitude: 10.6278, longitude: 103.5225 });
    expect(driver.amendments.at(-1)).toMatchObject({
      reportId: driver.submitted[0]!.reportId,
      changes: { victim: { coordinates: { latitude: 10.6278, longitude: 103.5225 } } },
    });
    // …and the conversation carries on where it was.
    expect(driver.keys()).toEqual(['locationReceived', 'questions.narrative']);
    expect(driver.state.mode).toBe('report');
  });

  it('shows a link found in the story once, although it yields its URL and its domain (Indonesian, defanged)', async () => {
    const driver = await ConversationDriver.start('id');
    await driver.choose('id');
    await driver.choose('safe');
    await driver.send('Saya ditawari kerja di hxxps://hades-cafe[.]com/careers oleh agen.');
    expect(driver.keys()).toEqual(['questions.confirmFound']);
    const prompt = driver.outputs[0];
    expect(prompt?.type === 'choices' && prompt.params?.items).toBe('https://hades-cafe.com/careers');
  });

  it('pre-fills what the story mentions and asks to confirm it instead of asking again (Thai)', async () => {
    const driver = await ConversationDriver.start('th');
    await driver.choose('th');
    await driver.choose('safe');
    await driver.send(`แอปลงทุนปลอมให้โอน 1,500 USDT ไปที่ ${wallet} ติดต่อไลน์ไอดี: invest_pro99`);
    expect(driver.keys()).toEqual(['questions.confirmFound']);
    const prompt = driver.outputs[0];
    expect(prompt?.type === 'choices' && prompt.params?.items).toContain(wallet);
    await driver.choose('yes');
    expect(driver.state.draft.suspects?.wallets).toEqual([wallet]);
    expect(driver.state.draft.losses?.payments).toEqual([{ amount: 1500, currency: 'USDT' }]);
    await driver.choose('investment_crypto');
    expect(driver.keys()).toEqual(['questions.investPlatform']);
    await driver.send('https://thai-gold-invest.net/app');
    // The wallet is known already and the money question was answered by the story: neither is asked.
    expect(driver.keys()).toEqual(['questions.nationality']);
  });

  it('does not ask a caller’s number the story gave and the reporter confirmed (Malay, Arabic-Indic digits)', async () => {
    const driver = await ConversationDriver.start('ms');
    await driver.choose('ms');
    await driver.choose('safe');
    await driver.send(
      'Seorang lelaki mengaku polis menelefon saya dari +٦٠ ١٢-٣٤٥ ٦٧٨٩ dan minta saya pindahkan wang.',
    );
    expect(driver.keys()).toEqual(['questions.confirmFound']);
    await driver.choose('yes');
    expect(driver.state.draft.suspects?.phones).toEqual(['+60123456789']);
    await driver.choose('voice_phishing');
    expect(driver.keys()).toEqual(['questions.callerWho']);
    await driver.send('Inspektor Ali');
    expect(driver.keys()).toEqual(['questions.money']);
  });

  it('still asks for the wallet when the story named none (Lao)', async () => {
    const driver = await ConversationDriver.start('lo');
    await driver.choose('lo');
    await driver.choose('safe');
    await driver.send('ແອັບລົງທຶນປອມ');
    await driver.choose('investment_crypto');
    await driver.send('/skip');
    expect(driver.keys()).toEqual(['questions.investWallet']);
  });

  it('lets a reporter skip everything that can be skipped, but not consent (English)', async () => {
    const driver = await ConversationDriver.start('en');
    await driver.choose('en');
    const asked: string[] = [];
    for (let i = 0; i < 20 && driver.keys().some((key) => key.startsWith('questions.')); i += 1) {
      const question = driver.keys().find((key) => key.startsWith('questions.'))!;
      asked.push(question);
      if (question === 'questions.summary') await driver.choose('confirm');
      else if (question === 'questions.consentShare') {
        await driver.send('/skip');
        expect(driver.keys()[0]).toBe('cannotSkip');
        await driver.choose('no');
      } else await driver.send('/skip');
    }
    expect(asked).toEqual([
      'questions.safety',
      'questions.narrative',
      'questions.category',
      'questions.money',
      'questions.nationality',
      'questions.currentCountry',
      'questions.evidence',
      'questions.summary',
      'questions.consentShare',
      'questions.consentContact',
    ]);
    expect(driver.keys()).toEqual(['saving', 'receipt', 'whatNext']);
    expect(parseReportInput(driver.submitted[0]!.content)).toMatchObject({
      consent: { shareWithLawEnforcement: false, contactBack: false },
    });
  });

  it('edits a section from the summary and comes back to it', async () => {
    const driver = await ConversationDriver.start('en');
    await driver.choose('en');
    await driver.choose('safe');
    await driver.send('A woman on Instagram asked me to invest.');
    await driver.choose('romance');
    await driver.send('Instagram');
    await driver.send('/skip');
    await driver.choose('PH');
    await driver.choose('PH');
    await driver.choose('done');
    expect(driver.keys()).toEqual(['summary', 'questions.summary']);
    await driver.choose('edit');
    await driver.choose('about');
    expect(driver.keys()).toEqual(['questions.nationality']);
    await driver.choose('SG');
    await driver.choose('SG');
    expect(driver.keys()).toEqual(['summary', 'questions.summary']);
    expect(driver.state.draft.victim).toMatchObject({ nationality: 'SG', currentCountry: 'SG' });
    expect(driver.state.draft.incident?.narrative).toBe('A woman on Instagram asked me to invest.');
  });

  it('changes language at any point with /language and returns to the same question', async () => {
    const driver = await ConversationDriver.start('en');
    await driver.choose('en');
    await driver.choose('safe');
    await driver.send('/language');
    expect(driver.keys()).toEqual(['questions.language']);
    await driver.choose('vi');
    expect(driver.state.language).toBe('vi');
    expect(driver.keys()).toEqual(['questions.narrative']);
  });

  it('goes back one question with /back, and re-asks clearly after an answer that does not fit', async () => {
    const driver = await ConversationDriver.start('en');
    await driver.choose('en');
    await driver.choose('safe');
    await driver.send('/back');
    expect(driver.keys()).toEqual(['questions.safety']);
    await driver.send('maybe');
    expect(driver.keys()).toEqual(['pleaseChoose', 'questions.safety']);
    await driver.send('3'); // the third button: "I am safe"
    expect(driver.keys()).toEqual(['questions.narrative']);
  });

  it('deletes everything after /cancel is confirmed, and keeps it when it is not', async () => {
    const driver = await ConversationDriver.start('en');
    await driver.choose('en');
    await driver.choose('safe');
    await driver.send('They took my money.');
    await driver.send('/cancel');
    await driver.choose('no');
    expect(driver.state.draft.incident?.narrative).toBe('They took my money.');
    await driver.send('/cancel');
    await driver.choose('yes');
    expect(driver.keys()).toEqual(['draft_deleted', 'cancelled']);
    expect(driver.state.draft.incident).toBeUndefined();
    expect(driver.submitted).toEqual([]);
  });

  it('answers /status with the status and staff messages, and /add adds to a report', async () => {
    const driver = await ConversationDriver.start('en');
    // A report stored earlier, referred to the police, with a message from staff.
    const { reportId, reference, receiptCode } = await driver.intake.reports.submitReport(
      { consent: { shareWithLawEnforcement: true } },
      { actor: 'test' },
    );
    await driver.intake.db.updateTable('reports').set({ status: 'referred' }).where('id', '=', reportId).execute();
    await driver.intake.followups.postMessageToReporter(reportId, {
      body: 'We sent it to the police.',
      author: 'user:1',
    });
    const [letters, digits] = reference.slice(3).split('-') as [string, string];
    await driver.choose('en');
    await driver.send('/status');
    // Written any way a person would: lower case, spaces instead of dashes.
    await driver.send(`rl ${letters.toLowerCase()} ${digits.toLowerCase()}`);
    await driver.send(receiptCode.toLowerCase().replaceAll('-', ' '));
    expect(driver.outputs.slice(0, 3)).toEqual([
      expect.objectContaining({ key: 'statusIs' }),
      expect.objectContaining({ key: 'status.referred' }),
      expect.objectContaining({ key: 'staffMessage', params: { message: 'We sent it to the police.' } }),
    ]);
    // Back to the question the reporter had reached.
    expect(driver.keys().at(-1)).toBe('questions.safety');

    await driver.send('/add');
    await driver.send('not a reference');
    expect(driver.keys()[0]).toBe('invalidReference');
    await driver.send(reference);
    await driver.send(receiptCode);
    await driver.send('He called again from +855 12 345 678.');
    expect(driver.additions.at(-1)).toMatchObject({ reportId, text: 'He called again from +855 12 345 678.' });
    expect((await driver.intake.followups.listAdditions(reportId)).map((addition) => addition.text)).toEqual([
      'He called again from +855 12 345 678.',
    ]);
    expect(driver.keys()[0]).toBe('addDone');
  });

  it('keeps a long answer whole in the story when its field holds less', async () => {
    const driver = await ConversationDriver.start('en');
    await driver.choose('en');
    await driver.choose('safe');
    await driver.send('Short story.');
    await driver.choose('fake_job_compound');
    // The trafficking screening, offered for a fake job abroad, then the recruiter question: both skipped.
    await driver.send('/skip');
    await driver.send('/skip');
    const long = `They promised ${'a very good job '.repeat(60)}`;
    await driver.send(long);
    expect(driver.state.draft.trafficking?.promisedJob).toHaveLength(500);
    expect(driver.state.draft.incident?.narrative).toContain(long.trim());
  });

  it('continues exactly where it was after its state is stored and read back', async () => {
    const driver = await ConversationDriver.start('ko');
    await driver.choose('ko');
    await driver.choose('safe');
    const stored = JSON.parse(JSON.stringify(driver.state)) as unknown;
    const restored = parseConversationState(stored);
    expect(restored).toEqual(driver.state);
    const next = advanceConversation(restored!, { type: 'text', text: '돈을 보냈어요' }, deps);
    expect(next.state.draft.incident?.narrative).toBe('돈을 보냈어요');
    expect(parseConversationState({ version: 2 })).toBeUndefined();
  });
});
