import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationDriver } from '../conversation/conversation-driver.js';
import { browserFor, createPublicPortal } from '../support/public-portal.js';
import { messageKeys } from '../support/page-messages.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

const shield = 'messages:check.recoveryShield';

/** Skips every question that can be skipped up to the receipt, agreeing to share, as a hurried reporter does. */
async function finish(driver: ConversationDriver): Promise<string[]> {
  const seen: string[] = [];
  const asking = (key: string) => key.startsWith('questions.') || key.startsWith('screening.');
  for (let i = 0; i < 25 && driver.keys().some(asking); i += 1) {
    const question = driver.keys().find(asking)!;
    if (question === 'questions.summary') await driver.choose('confirm');
    else if (question === 'questions.consentShare' || question === 'questions.consentContact')
      await driver.choose('yes');
    else if (question === 'questions.confirmFound') await driver.choose('yes');
    else if (question === 'questions.evidence') await driver.choose('done');
    else await driver.send('/skip');
    seen.push(...driver.keys());
  }
  return seen;
}

describe('the recovery-scam shield in the chat', () => {
  it('a reporter who paid is told, once, after the receipt, that nobody recovers money for a fee (Thai)', async () => {
    const driver = await ConversationDriver.start('th');
    await driver.choose('th');
    await driver.choose('safe');
    await driver.send('แอปลงทุนปลอมให้โอน 1,500 USDT แล้วบอกให้จ่ายภาษีก่อนถอน');
    await finish(driver);
    expect(driver.keys()).toEqual(['saving', 'receipt', shield, 'whatNext']);
    const receipt = driver.outputs.find((output) => output.type === 'receipt');
    // The receipt's shorter line says the same: it is not said twice.
    expect(receipt?.type === 'receipt' && receipt.adviceKeys).not.toContain('advice.recoveryScam');
  });

  it('a reporter who paid nothing is not told (Vietnamese)', async () => {
    const driver = await ConversationDriver.start('vi');
    await driver.choose('vi');
    await driver.choose('safe');
    await driver.send('Có người gọi giả làm cảnh sát nhưng tôi chưa chuyển tiền.');
    await finish(driver);
    expect(driver.keys()).toEqual(['saving', 'receipt', 'whatNext']);
  });

  it('someone held who paid hears it only at the end, never in the urgent burst (Korean)', async () => {
    const driver = await ConversationDriver.start('ko');
    await driver.choose('ko');
    await driver.choose('held');
    const burst = [...driver.keys()];
    await driver.choose('me');
    burst.push(...driver.keys());
    await driver.choose('yes');
    burst.push(...driver.keys());
    expect(burst).not.toContain(shield);
    await driver.send('/skip');
    await driver.send('취업 보증금으로 2,000 USD를 보냈고 지금 갇혀 있어요.');
    const rest = await finish(driver);
    expect(rest.filter((key) => key === shield)).toHaveLength(1);
    expect(driver.keys()).toContain(shield);
  });
});

describe.each(testDatabaseKinds)('the recovery-scam shield on the status page (%s)', (kind) => {
  let database: TestDatabase;
  let portal: Awaited<ReturnType<typeof createPublicPortal>>;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    portal = await createPublicPortal(database);
  });
  afterAll(async () => {
    await portal?.dispose();
    await database?.dispose();
  });

  async function statusPageOf(payments: Array<{ amount: number; currency: string }>, language: string) {
    const { reference, receiptCode } = await portal.intake.reports.submitReport(
      {
        channel: 'web',
        language,
        consent: { shareWithLawEnforcement: true },
        incident: { category: 'investment_crypto', narrative: 'A fake trading app.' },
        losses: { payments },
        victim: { languagesSpoken: [] },
      },
      { actor: 'channel:web' },
    );
    const reporter = browserFor(portal.app, language);
    const form = await reporter.open('/status');
    return reporter.post('/status', { token: reporter.token(form.html), reference, code: receiptCode });
  }

  it.each(['ko', 'th', 'vi'])('shows it for a report that tells of a payment, in %s', async (language) => {
    const page = await statusPageOf([{ amount: 3000, currency: 'USDT' }], language);
    expect(page.response.status).toBe(200);
    expect(messageKeys(page.html).filter((key) => key === shield)).toHaveLength(1);
    expect(page.html).toContain(portal.intake.i18n.getFixedT(language, 'messages')('check.recoveryShield'));
  });

  it("shows it on the web form's receipt page for a report with a payment (th)", async () => {
    const reporter = browserFor(portal.app, 'th');
    let page = await reporter.open('/report/safety');
    page = await reporter.submit(page, '/report/safety', {
      action: 'next',
      'safety.inImmediateDanger': 'no',
      'safety.heldAgainstWill': 'no',
      'victim.currentCountry': 'TH',
    });
    page = await reporter.submit(page, '/report/incident', {
      action: 'next',
      reporterRole: 'victim',
      'incident.category': 'investment_crypto',
      'incident.narrative': 'แอปเทรดปลอม ให้จ่ายภาษีก่อนถอนกำไร',
    });
    page = await reporter.submit(page, '/report/money', {
      action: 'next',
      'losses.payments.0.amount': '5,000',
      'losses.payments.0.currency': 'thb',
      'losses.freezeRequested': 'no',
    });
    page = await reporter.submit(page, '/report/contacts', { action: 'next' });
    page = await reporter.submit(page, '/report/evidence', { action: 'next' });
    page = await reporter.submit(page, '/report/about', {
      action: 'next',
      'consent.shareWithLawEnforcement': 'yes',
      'consent.contactBack': 'no',
    });
    const done = await reporter.submit(page, '/report/submit', {});
    expect(messageKeys(done.html)).toContain('form.done.title');
    expect(messageKeys(done.html).filter((key) => key === shield)).toHaveLength(1);
    // The receipt's shorter line says the same: it is not said twice.
    expect(messageKeys(done.html)).not.toContain('conversation:advice.recoveryScam');
  });

  it('does not show it for a report without one', async () => {
    const page = await statusPageOf([], 'th');
    expect(page.response.status).toBe(200);
    expect(messageKeys(page.html)).not.toContain(shield);
  });
});
