import { describe, expect, it } from 'vitest';
import { ConversationDriver, i18n } from './conversation-driver.js';

const wallet = 'TThj8QM1oAy46uZhb3wguApBpMZooSDtKk';

/** Vietnamese, safe, to the consent question, with the "is this right?" buttons of the story shown on the way. */
async function atConsent() {
  const driver = await ConversationDriver.start('vi');
  await driver.choose('vi');
  await driver.choose('safe');
  await driver.send(`Họ bắt tôi chuyển 500 USDT vào ví ${wallet}`);
  expect(driver.question()).toBe('confirmFound');
  await driver.choose('yes');
  await driver.choose('investment_crypto');
  for (let i = 0; i < 10 && driver.question() !== 'consentShare'; i += 1) {
    if (driver.question() === 'summary') await driver.choose('confirm');
    else if (driver.question() === 'evidence') await driver.choose('done');
    else await driver.send('/skip');
  }
  expect(driver.keys()).toEqual(['questions.consentShare']);
  return driver;
}

describe('a press means what it showed', () => {
  it('every question with buttons names itself, within what button data can carry', async () => {
    const driver = await ConversationDriver.start('km');
    await driver.choose('km');
    const asked = driver.outputs.find((output) => output.type === 'choices');
    expect(asked?.type === 'choices' && asked.question).toBe('safety');
    await driver.choose('held');
    expect(driver.question()).toBe('dangerWho');
    expect(driver.question()!.length).toBeLessThanOrEqual(24);
  });

  it('an old "Yes" from "is this right?" does not consent: the current question is asked again', async () => {
    const driver = await atConsent();
    await driver.send({ type: 'choice', value: 'yes', question: 'confirmFound' });
    expect(driver.keys()).toEqual(['earlierQuestion', 'questions.consentShare']);
    expect(driver.state.draft.consent).toBeUndefined();
    expect(driver.submitted).toEqual([]);
  });

  it('a press without its question (a keyboard from before) is never taken as consent', async () => {
    const driver = await atConsent();
    await driver.send({ type: 'choice', value: 'yes' });
    expect(driver.keys()).toEqual(['earlierQuestion', 'questions.consentShare']);
    expect(driver.state.draft.consent).toBeUndefined();
    // Typed at the question itself, it is an answer.
    await driver.send('yes');
    expect(driver.state.draft.consent?.shareWithLawEnforcement).toBe(true);
  });

  it('a button label typed as shown answers the current question (Vietnamese)', async () => {
    const driver = await atConsent();
    await driver.send(i18n.getFixedT('vi', 'conversation')('options.yes'));
    expect(driver.state.draft.consent?.shareWithLawEnforcement).toBe(true);
  });

  it('a stale press elsewhere changes nothing either (Lao, a category button pressed at the money question)', async () => {
    const driver = await ConversationDriver.start('lo');
    await driver.choose('lo');
    await driver.choose('safe');
    await driver.send('ມີຄົນຫຼອກໃຫ້ລົງທຶນ');
    await driver.choose('romance');
    await driver.send('Facebook');
    expect(driver.question()).toBeUndefined();
    await driver.send({ type: 'choice', value: 'sextortion', question: 'category' });
    expect(driver.keys()).toEqual(['earlierQuestion', 'questions.money']);
    expect(driver.state.draft.incident?.category).toBe('romance');
  });
});
