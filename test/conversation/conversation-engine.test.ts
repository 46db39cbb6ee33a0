import { describe, expect, it } from 'vitest';
import { parseConversationState } from '../../intake/conversation/conversation-state.js';
import { advanceConversation } from '../../intake/conversation/conversation-engine.js';
import { parseReportInput } from '../../intake/report/validate-report.js';
import { ConversationDriver, deps } from './conversation-driver.js';

const wallet = 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk';

describe('the reporting conversation', () => {
  it('offers the language the channel suggests first', () => {
    const driver = new ConversationDriver('ko-KR');
    expect(driver.keys()).toEqual(['welcome', 'questions.language']);
    const choices = driver.outputs[1];
    expect(choices?.type === 'choices' && choices.options[0]).toEqual({ value: 'ko', label: '한국어' });
    expect(driver.rendered('ko')).toContain('안녕하세요');
  });

  it('puts safety first: a Korean held in Cambodia gets emergency numbers and an urgent report before any other question', () => {
    const driver = new ConversationDriver('ko');
    driver.choose('ko');
    expect(driver.keys()).toEqual(['questions.safety']);
    driver.choose('held');
    expect(driver.keys()).toEqual(['questions.dangerCountry']);
    driver.choose('KH');
    expect(driver.keys()).toEqual(['questions.dangerConsent']);
    driver.choose('yes');
    expect(driver.keys()).toEqual([
      'emergencyNumbers',
      'contacts',
      'shareLocation',
      'urgentSaved',
      'routingLine',
      'urgentContinue',
      'questions.narrative',
    ]);
    expect(driver.rendered()).toContain('117');
    expect(driver.submitted).toHaveLength(1);
    const urgent = parseReportInput(driver.submitted[0]!.content);
    expect(urgent).toMatchObject({
      channel: 'telegram',
      language: 'ko',
      safety: { heldAgainstWill: true },
      victim: { currentCountry: 'KH' },
      consent: { shareWithLawEnforcement: true },
    });

    // A location shared later goes to the same report.
    driver.send({ type: 'location', latitude: 10.6278, longitude: 103.5225 });
    expect(driver.additions.at(-1)).toMatchObject({ reference: 'RL-7K3M-9QX2', text: 'location: 10.6278, 103.5225' });
    // …and the conversation carries on where it was.
    expect(driver.keys()).toEqual(['locationReceived', 'questions.narrative']);
    expect(driver.state.mode).toBe('report');
  });

  it('pre-fills what the story mentions and asks to confirm it instead of asking again (Thai)', () => {
    const driver = new ConversationDriver('th');
    driver.choose('th');
    driver.choose('safe');
    driver.send(`แอปลงทุนปลอมให้โอน 1,500 USDT ไปที่ ${wallet} ติดต่อไลน์ไอดี: invest_pro99`);
    expect(driver.keys()).toEqual(['questions.confirmFound']);
    const prompt = driver.outputs[0];
    expect(prompt?.type === 'choices' && prompt.params?.items).toContain(wallet);
    driver.choose('yes');
    expect(driver.state.draft.suspects?.wallets).toEqual([wallet]);
    expect(driver.state.draft.losses?.payments).toEqual([{ amount: 1500, currency: 'USDT' }]);
    driver.choose('investment_crypto');
    expect(driver.keys()).toEqual(['questions.investPlatform']);
    driver.send('https://thai-gold-invest.net/app');
    // The wallet is known already: only the money question remains, and it was answered by the story.
    expect(driver.keys()).toEqual(['questions.investWallet']);
    driver.send('/skip');
    expect(driver.keys()).toEqual(['questions.nationality']);
  });

  it('lets a reporter skip everything that can be skipped, but not consent (English)', () => {
    const driver = new ConversationDriver('en');
    driver.choose('en');
    const asked: string[] = [];
    for (let i = 0; i < 20 && driver.keys().some((key) => key.startsWith('questions.')); i += 1) {
      const question = driver.keys().find((key) => key.startsWith('questions.'))!;
      asked.push(question);
      if (question === 'questions.summary') driver.choose('confirm');
      else if (question === 'questions.consentShare') {
        driver.send('/skip');
        expect(driver.keys()[0]).toBe('cannotSkip');
        driver.choose('no');
      } else driver.send('/skip');
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

  it('edits a section from the summary and comes back to it', () => {
    const driver = new ConversationDriver('en');
    driver.choose('en');
    driver.choose('safe');
    driver.send('A woman on Instagram asked me to invest.');
    driver.choose('romance');
    driver.send('Instagram');
    driver.send('/skip');
    driver.choose('PH');
    driver.choose('PH');
    driver.choose('done');
    expect(driver.keys()).toEqual(['summary', 'questions.summary']);
    driver.choose('edit');
    driver.choose('about');
    expect(driver.keys()).toEqual(['questions.nationality']);
    driver.choose('SG');
    driver.choose('SG');
    expect(driver.keys()).toEqual(['summary', 'questions.summary']);
    expect(driver.state.draft.victim).toMatchObject({ nationality: 'SG', currentCountry: 'SG' });
    expect(driver.state.draft.incident?.narrative).toBe('A woman on Instagram asked me to invest.');
  });

  it('changes language at any point with /language and returns to the same question', () => {
    const driver = new ConversationDriver('en');
    driver.choose('en');
    driver.choose('safe');
    driver.send('/language');
    expect(driver.keys()).toEqual(['questions.language']);
    driver.choose('vi');
    expect(driver.state.language).toBe('vi');
    expect(driver.keys()).toEqual(['questions.narrative']);
    expect(driver.rendered()).toContain('Hãy kể cho chúng tôi');
  });

  it('goes back one question with /back, and re-asks clearly after an answer that does not fit', () => {
    const driver = new ConversationDriver('en');
    driver.choose('en');
    driver.choose('safe');
    driver.send('/back');
    expect(driver.keys()).toEqual(['questions.safety']);
    driver.send('maybe');
    expect(driver.keys()).toEqual(['pleaseChoose', 'questions.safety']);
    driver.send('3'); // the third button: "I am safe"
    expect(driver.keys()).toEqual(['questions.narrative']);
  });

  it('deletes everything after /cancel is confirmed, and keeps it when it is not', () => {
    const driver = new ConversationDriver('en');
    driver.choose('en');
    driver.choose('safe');
    driver.send('They took my money.');
    driver.send('/cancel');
    driver.choose('no');
    expect(driver.state.draft.incident?.narrative).toBe('They took my money.');
    driver.send('/cancel');
    driver.choose('yes');
    expect(driver.keys()).toEqual(['cancelled']);
    expect(driver.state.draft.incident).toBeUndefined();
    expect(driver.submitted).toEqual([]);
  });

  it('answers /status with the status and staff messages, and /add adds to a report', () => {
    const driver = new ConversationDriver('en');
    driver.choose('en');
    driver.send('/status');
    driver.send('rl 7k3m 9qx2');
    driver.send('4xk9 m2qd 7trb');
    expect(driver.rendered()).toContain('The status of your report:\nIt was sent to the police.');
    expect(driver.rendered()).toContain('We sent it to the police.');
    // Back to the question the reporter had reached.
    expect(driver.keys().at(-1)).toBe('questions.safety');

    driver.send('/add');
    driver.send('not a reference');
    expect(driver.keys()[0]).toBe('invalidReference');
    driver.send('RL-7K3M-9QX2');
    driver.send('4XK9-M2QD-7TRB');
    driver.send('He called again from +855 12 345 678.');
    expect(driver.additions.at(-1)).toMatchObject({
      reference: 'RL-7K3M-9QX2',
      receiptCode: '4XK9-M2QD-7TRB',
      text: 'He called again from +855 12 345 678.',
    });
    expect(driver.keys()[0]).toBe('addDone');
  });

  it('keeps a long answer whole in the story when its field holds less', () => {
    const driver = new ConversationDriver('en');
    driver.choose('en');
    driver.choose('safe');
    driver.send('Short story.');
    driver.choose('fake_job_compound');
    driver.send('/skip');
    const long = `They promised ${'a very good job '.repeat(60)}`;
    driver.send(long);
    expect(driver.state.draft.trafficking?.promisedJob).toHaveLength(500);
    expect(driver.state.draft.incident?.narrative).toContain(long.trim());
  });

  it('continues exactly where it was after its state is stored and read back', () => {
    const driver = new ConversationDriver('ko');
    driver.choose('ko');
    driver.choose('safe');
    const stored = JSON.parse(JSON.stringify(driver.state)) as unknown;
    const restored = parseConversationState(stored);
    expect(restored).toEqual(driver.state);
    const next = advanceConversation(restored!, { type: 'text', text: '돈을 보냈어요' }, deps);
    expect(next.state.draft.incident?.narrative).toBe('돈을 보냈어요');
    expect(parseConversationState({ version: 2 })).toBeUndefined();
  });
});
