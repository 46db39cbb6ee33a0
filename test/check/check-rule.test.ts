import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assembleIntake, type Intake } from '../../app/assemble-intake.js';
import { CheckError } from '../../intake/check/check-error.js';
import type { CheckRequest } from '../../intake/check/check-types.js';
import { partnerHash } from '../../intake/check/partner-hash.js';
import { indicatorBlindIndex } from '../../intake/store/report-store.js';
import { testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

const staff = 'user:staff-1';
let asker = 0;
/** A different asker each time, so the rule is tested apart from the rate limit (tested on its own below). */
const ask = (text: string, countryHint = 'TH'): CheckRequest => ({
  text,
  channel: 'telegram',
  askerKey: `person-${asker++}`,
  countryHint,
});

describe.each(testDatabaseKinds)('the check rule on %s', (kind) => {
  let database: TestDatabase;
  let intake: Intake;
  let reportNumber = 0;

  const cipher = testCipher();
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.dispose());
  beforeEach(async () => {
    // Each test its own intake over the same database: its own memory limits; values are unique per test.
    intake = assembleIntake({ db: database.db, cipher });
  });

  /** A report through the web form's path naming `suspectPhone`, by a reporter known by `reporterPhone` (or none). */
  async function reportByForm(suspectPhone: string, reporterPhone?: string) {
    reportNumber += 1;
    return intake.reports.submitReport(
      {
        channel: 'web',
        language: 'th',
        consent: { shareWithLawEnforcement: true },
        ...(reporterPhone ? { reporter: { phone: reporterPhone } } : {}),
        victim: { currentCountry: 'TH', languagesSpoken: [] },
        incident: { category: 'fake_job_compound', narrative: `They asked for a deposit. Report ${reportNumber}.` },
        suspects: { phones: [suspectPhone] },
      },
      { actor: 'channel:web' },
    );
  }

  /** A report from a chat conversation: its submissions are keyed `<conversation>:<n>`, as the runner keys them. */
  async function reportByChat(suspectText: string, conversationId: string, submission: number) {
    return intake.reports.submitReport(
      {
        channel: 'telegram',
        language: 'th',
        consent: { shareWithLawEnforcement: true },
        incident: { category: 'investment_crypto', narrative: `They said to pay a tax: ${suspectText}` },
      },
      { actor: 'channel:telegram', idempotency: { scope: 'conversation', key: `${conversationId}:${submission}` } },
    );
  }

  async function candidate(value: string) {
    return (await intake.checkStaff.review.candidates()).find((entry) => entry.value === value);
  }

  async function confirmed(value: string, category: 'job_scam' | 'investment' | 'recovery_agent' = 'job_scam') {
    const found = await candidate(value);
    expect(found, `${value} is a candidate`).toBeDefined();
    await intake.checkStaff.review.confirm(staff, found!.valueHash, category);
    return found!;
  }

  it('says no warning for a number one person reported', async () => {
    await reportByForm('081 111 0001', '+66 89 000 0001');
    const answer = await intake.checks.check(ask('081 111 0001'));
    expect(answer).toEqual({
      kind: 'checked',
      indicators: [
        {
          kind: 'phone',
          shown: '+66811110001',
          verdict: 'no_warning',
          advice: ['job_deposit', 'withdraw_fee', 'recovery_fee'],
        },
      ],
    });
    // Not even staff can confirm it: one reporter is not several.
    expect(await candidate('+66811110001')).toBeUndefined();
  });

  it('warns once three distinct reporters and a staff confirmation stand behind a number, however it is written', async () => {
    await reportByForm('0811110002', '+66 89 000 0011');
    await reportByForm('+66 81 111 0002', '+66 89 000 0012');
    await reportByForm('66-81-111-0002', '+66 89 000 0013');
    // Three reporters but no confirmation: nothing yet.
    expect((await intake.checks.check(ask('081-111-0002'))).kind).toBe('checked');
    expect(await intake.checks.check(ask('081-111-0002'))).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
    const found = await confirmed('+66811110002', 'job_scam');
    expect(found.reporters).toBe(3);

    for (const written of ['081 111 0002', '+66811110002', 'the agent said call ๐๘๑-๑๑๑-๐๐๐๒ for the job'])
      expect(await intake.checks.check(ask(written))).toEqual({
        kind: 'checked',
        indicators: [{ kind: 'phone', shown: '+66811110002', verdict: 'warning', advice: ['job_deposit'] }],
      });
  });

  it('counts one chat reporter once however many reports they send, and chats apart from each other', async () => {
    const wallet = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';
    for (const submission of [1, 2, 3]) await reportByChat(wallet, 'conversation-same', submission);
    // The same reporter three times is one reporter: not a candidate, and a confirmation is refused.
    expect(await candidate(`tron:${wallet}`)).toBeUndefined();
    expect(await intake.checks.check(ask(wallet))).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });

    await reportByChat(wallet, 'conversation-other', 1);
    expect(await candidate(`tron:${wallet}`)).toBeUndefined();
    await reportByChat(wallet, 'conversation-third', 1);
    expect((await candidate(`tron:${wallet}`))?.reporters).toBe(3);
    await confirmed(`tron:${wallet}`, 'investment');
    // Pasted with spaces, as a wallet often is.
    expect(await intake.checks.check(ask('TLa2f 6VPqD gRE67 v1736 s7bJ8 Ray5w YjU7'))).toEqual({
      kind: 'checked',
      indicators: [{ kind: 'crypto_address', shown: `tron:${wallet}`, verdict: 'warning', advice: ['withdraw_fee'] }],
    });
  });

  it('refuses to confirm what the same form reporter sent three times', async () => {
    for (let i = 0; i < 3; i += 1) await reportByForm('081 111 0003', '089 000 0021');
    expect(await candidate('+66811110003')).toBeUndefined();
    // Confirming it anyway (a stale page, a crafted post) is refused by the use case itself.
    const valueHash = indicatorBlindIndex(intake.cipher, 'phone', '+66811110003');
    await expect(intake.checkStaff.review.confirm(staff, valueHash, 'job_scam')).rejects.toThrow(
      expect.objectContaining({ code: 'check.too_few_reporters' }),
    );
    expect(await intake.checks.check(ask('081 111 0003'))).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
  });

  it('answers byte for byte the same for 0, 1, 2 and 5 unconfirmed reports', async () => {
    const numbers = ['081 222 0000', '081 222 0001', '081 222 0002', '081 222 0005'];
    for (const [index, count] of [0, 1, 2, 5].entries())
      for (let i = 0; i < count; i += 1) await reportByForm(numbers[index]!, `+66 89 222 ${index}${i}00`);
    const answers = await Promise.all(numbers.map((number) => intake.checks.check(ask(number))));
    const withoutValue = answers.map((answer) => JSON.stringify(answer).replace(/\+668122200\d\d/, 'VALUE'));
    expect(new Set(withoutValue).size).toBe(1);
    expect(answers[3]).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
    // The five are a candidate for staff, still nothing to the public.
    expect((await candidate('+66812220005'))?.reporters).toBe(5);
  });

  it('never flags a safelisted bank hotline, even with many reporters', async () => {
    // Kasikornbank's public call centre, which scammers quote to look genuine.
    for (let i = 0; i < 6; i += 1) await reportByForm('02 888 8888', `+66 89 333 00${i}0`);
    expect(await candidate('+6628888888')).toBeUndefined();
    expect(await intake.checks.check(ask('02-888-8888'))).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
    const safelist = await intake.checkStaff.safelist.list();
    expect(safelist.find((entry) => entry.value === '+6628888888')).toMatchObject({ origin: 'built_in' });
  });

  it('stops flagging a confirmed number staff add to the safelist afterwards', async () => {
    for (let i = 0; i < 3; i += 1) await reportByForm('081 444 0001', `+66 89 444 00${i}0`);
    const found = await confirmed('+66814440001');
    expect(await intake.checks.check(ask('081 444 0001'))).toMatchObject({ indicators: [{ verdict: 'warning' }] });
    await intake.checkStaff.safelist.add(staff, {
      kind: 'phone',
      value: '081 444 0001',
      country: 'TH',
      source: 'A shop that was impersonated',
    });
    expect(await intake.checks.check(ask('081 444 0001'))).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
    // Added again (another way of writing it): nothing added twice.
    expect(
      await intake.checkStaff.safelist.add(staff, { kind: 'phone', value: '+66 81 444 0001', source: 'Again' }),
    ).toEqual({ valueHash: found.valueHash, added: false });
    await expect(intake.checkStaff.review.confirm(staff, found.valueHash, 'job_scam')).rejects.toThrow(
      expect.objectContaining({ code: 'check.safelisted' }),
    );
    const hash = partnerHash(intake.cipher.checkPartnerKey(), 'phone', '+66814440001');
    expect(await intake.checks.range(hash.slice(0, 5))).not.toContain(hash);
  });

  it('withdraws a warning when staff uphold a dispute, and keeps it when they reject one', async () => {
    for (let i = 0; i < 3; i += 1) await reportByForm('081 555 0001', `+66 89 555 00${i}0`);
    for (let i = 0; i < 3; i += 1) await reportByForm('081 555 0002', `+66 89 555 01${i}0`);
    await confirmed('+66815550001');
    await confirmed('+66815550002');

    const upheld = await intake.checks.dispute({
      text: 'This is my shop: 081 555 0001',
      explanation: 'My number was used in a scam without my knowledge.',
      contact: 'owner@example.com',
      language: 'th',
      channel: 'web',
      askerKey: 'owner-1',
      countryHint: 'TH',
    });
    expect(upheld).toMatchObject({
      kind: 'received',
      reference: expect.stringMatching(/^CHK-[A-Z2-9]{4}-[A-Z2-9]{4}$/),
    });
    const rejected = await intake.checks.dispute({
      text: '0815550002',
      explanation: 'Not me.',
      language: 'th',
      channel: 'web',
      askerKey: 'owner-2',
      countryHint: 'TH',
    });
    // The dispute alone changes nothing: staff decide.
    expect(await intake.checks.check(ask('081 555 0001'))).toMatchObject({ indicators: [{ verdict: 'warning' }] });

    const open = await intake.checkStaff.disputes.list('open');
    const first = open.find((dispute) => upheld.kind === 'received' && dispute.reference === upheld.reference)!;
    const second = open.find((dispute) => rejected.kind === 'received' && dispute.reference === rejected.reference)!;
    expect(first).toMatchObject({
      explanation: 'My number was used in a scam without my knowledge.',
      contact: 'owner@example.com',
      indicators: [{ kind: 'phone', value: '+66815550001', warningStands: true }],
    });
    expect(await intake.checkStaff.disputes.decide(staff, first.id, 'uphold')).toEqual({ withdrawn: 1 });
    expect(await intake.checkStaff.disputes.decide(staff, second.id, 'reject')).toEqual({ withdrawn: 0 });
    await expect(intake.checkStaff.disputes.decide(staff, first.id, 'reject')).rejects.toThrow(
      expect.objectContaining({ code: 'check.dispute_decided' }),
    );

    expect(await intake.checks.check(ask('081 555 0001'))).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
    expect(await intake.checks.check(ask('081 555 0002'))).toMatchObject({ indicators: [{ verdict: 'warning' }] });
    // Withdrawn for good: staff cannot confirm it again.
    const withdrawn = (await intake.checkStaff.review.confirmations('withdrawn')).find(
      (entry) => entry.value === '+66815550001',
    )!;
    await expect(intake.checkStaff.review.confirm(staff, withdrawn.valueHash, 'other')).rejects.toThrow(
      expect.objectContaining({ code: 'check.withdrawn_by_dispute' }),
    );
  });

  it('stops warning once staff take a confirmation back', async () => {
    for (let i = 0; i < 3; i += 1) await reportByForm('081 666 0001', `+66 89 666 00${i}0`);
    const found = await confirmed('+66816660001', 'recovery_agent');
    expect(await intake.checks.check(ask('081 666 0001'))).toMatchObject({
      indicators: [{ verdict: 'warning', advice: ['recovery_fee'] }],
    });
    await intake.checkStaff.review.unconfirm(staff, found.valueHash);
    expect(await intake.checks.check(ask('081 666 0001'))).toMatchObject({ indicators: [{ verdict: 'no_warning' }] });
    await expect(intake.checkStaff.review.unconfirm(staff, found.valueHash)).rejects.toBeInstanceOf(CheckError);
  });

  it('answers at most three indicators, in the order written, and nothing for text without one', async () => {
    const answer = await intake.checks.check(
      ask('pay 500 USDT to @recruiter_kh, then call 081 777 0001, see hxxps://jobs-kh[.]com/apply or 081 777 0002'),
    );
    expect(answer.kind === 'checked' && answer.indicators.map((item) => [item.kind, item.shown])).toEqual([
      ['telegram', 'recruiter_kh'],
      ['phone', '+66817770001'],
      ['url', 'https://jobs-kh.com/apply'],
    ]);
    expect(await intake.checks.check(ask('is this company safe? they want 500 USD'))).toEqual({
      kind: 'nothing_recognised',
    });
  });
});
