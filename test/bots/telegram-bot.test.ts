import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

/** What the bot says for a key, from the same translations it reads: the test names the message, not its wording. */
const say = (language: string) => testI18n.getFixedT(language, 'conversation');

/** A small real PNG: a chat screenshot as the reporter's phone sends it. */
const screenshot = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR screenshot of the recruiter chat'),
]);

describe('the Telegram bot, end to end against a fake Bot API', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createTelegramHarness>>;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    harness = await createTelegramHarness(database);
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  it('refuses a webhook call without the secret token, and stores nothing', async () => {
    const response = await harness.post(
      { update_id: 1, message: { message_id: 1, chat: { id: 1, type: 'private' }, date: 0, text: '/start' } },
      'wrong',
    );
    expect(response.status).toBe(401);
    expect(harness.api.calls).toEqual([]);
  });

  it('takes a Korean reporter held in a compound in Cambodia from /start to an urgent report, a location, a screenshot and a receipt', async () => {
    expect((await harness.text('/start')).status).toBe(200);
    const greeting = harness.api.callsOf('sendMessage');
    expect(String(greeting[0]?.text)).toContain('리포트라인');
    // The language Telegram reports for the person comes first.
    expect(
      (greeting[1]?.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> }).inline_keyboard[0]?.[0]?.text,
    ).toBe('한국어');

    await harness.choose('ko');
    await harness.choose('held');
    // It is the reporter who is held ("you, or someone else?").
    await harness.choose('me');
    // Consent, and the report is stored (the reference is the third answer after the language); then the country.
    await harness.choose('yes');
    await harness.choose('KH');
    const texts = harness.sentTexts();
    expect(texts.some((text) => text.includes('117'))).toBe(true);
    const locationRequest = harness.api
      .callsOf('sendMessage')
      .find((payload) => JSON.stringify(payload.reply_markup ?? {}).includes('request_location'));
    expect(locationRequest).toBeDefined();
    // The reference with its receipt code, in Korean.
    const saved = texts.find((text) => /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(text));
    expect(['urgentSavedRouted', 'urgentSaved'].some((key) => saved?.startsWith(say('ko')(key).split('{{')[0]!))).toBe(
      true,
    );

    // Stored before the country was asked, then amended with it and routed there.
    const report = await database.db.selectFrom('reports').selectAll().executeTakeFirstOrThrow();
    expect(report).toMatchObject({ urgent: 1, channel: 'telegram', language: 'ko', current_country: 'KH' });
    const routing = await harness.intake.routing.getRouting(report.id);
    expect(routing?.agencies[0]).toEqual({ agencyId: 'kh-cnp', role: 'primary' });

    await harness.location(10.6278, 103.5225);
    await harness.photo('AgACAgUAAxkBAAIBQ2Vz', screenshot);
    // Both go into the stored report itself (the amend operation), not only as free text beside it.
    const amended = await harness.intake.reports.getReportById(report.id);
    expect(amended?.report.victim.coordinates).toEqual({ latitude: 10.6278, longitude: 103.5225 });
    expect(amended?.report.evidence.map((file) => file.mediaType)).toEqual(['image/png']);

    // The rest of the conversation, then the receipt in the chat.
    await harness.text('모집책이 여권을 가져갔어요. 연락처 +855 12 345 678');
    await harness.choose('yes');
    await harness.choose('fake_job_compound');
    for (let i = 0; i < 8 && !harness.sentTexts().at(-1)?.includes(say('ko')('questions.summary')); i += 1)
      await harness.text('/skip');
    await harness.choose('done');
    await harness.choose('confirm');
    await harness.choose('yes');
    const last = harness.sentTexts().slice(-2).join('\n');
    expect(last).toContain(say('ko')('receipt.title'));
    expect(last).toMatch(/RL-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    expect(last).toContain(say('ko')('advice.embassy'));
    // Still one report: the details went into the urgent one, with the consent to be contacted asked last.
    expect((await database.db.selectFrom('reports').select('id').execute()).length).toBe(1);
    const stored = await harness.intake.reports.getReportById(report.id);
    expect(stored?.report.consent).toEqual({ shareWithLawEnforcement: true, contactBack: true });
    expect(
      (await database.db.selectFrom('reports').select('consent_contact').executeTakeFirstOrThrow()).consent_contact,
    ).toBe(1);
  });

  it('says clearly when a file is too large, and downloads nothing', async () => {
    // Another person, in the middle of their report.
    const from = { id: 6661001, is_bot: false, first_name: 'Somchai', language_code: 'th' };
    const chat = { id: 6661001, type: 'private' };
    await harness.post({
      update_id: 990_001,
      message: { message_id: 1, from, chat, date: 1_763_800_000, text: 'ช่วยด้วย' },
    });
    const before = harness.api.callsOf('getFile').length;
    await harness.post({
      update_id: 990_002,
      message: {
        message_id: 2,
        from,
        chat,
        date: 1_763_800_000,
        document: {
          file_id: 'huge',
          file_unique_id: 'huge',
          file_name: 'video.mp4',
          mime_type: 'video/mp4',
          file_size: 50 * 1024 * 1024,
        },
      },
    });
    expect(harness.api.callsOf('getFile').length).toBe(before);
    expect(harness.sentTexts().some((text) => text.startsWith('ไฟล์นี้ใหญ่เกินไป'))).toBe(true);
  });

  it('changes nothing when Telegram delivers the same update twice', async () => {
    const update = harness.lastUpdate();
    expect((await harness.post(update)).status).toBe(200);
    const calls = harness.api.calls.length;
    expect((await harness.post(update)).status).toBe(200);
    expect(harness.api.calls.length).toBe(calls);
  });

  it('waits as long as retry_after says when Telegram answers 429, then sends the answer once, in order', async () => {
    harness.api.failNext('sendMessage', {
      code: 429,
      description: 'Too Many Requests: retry after 30',
      retryAfter: 30,
    });
    const before = harness.sentTexts().length;
    expect((await harness.text('/help')).status).toBe(200);
    // Answered 200 once committed; the refused message waits in the outbox for its retry_after.
    const waiting = await database.db
      .selectFrom('chat_outbox')
      .select(['next_attempt_at', 'last_error'])
      .where('status', '=', 'pending')
      .orderBy('seq')
      .execute();
    // The head of the chat waits; what follows it waits behind it, untried.
    expect(waiting.map((row) => row.last_error)).toEqual([
      'telegram.too_many_requests',
      ...waiting.slice(1).map(() => null),
    ]);
    expect(new Date(waiting[0]!.next_attempt_at).getTime()).toBeGreaterThanOrEqual(Date.now() + 29_000);
    expect(harness.sentTexts().length).toBe(before);
    await harness.flush();
    const help = harness.sentTexts().slice(before);
    expect(help).toHaveLength(waiting.length);
    expect(help[0]).toMatch(/^명령어:/);
  });

  it('removes its messages from the chat on /hide', async () => {
    await harness.text('/hide');
    const deleted = harness.api.callsOf('deleteMessage').map((payload) => Number(payload.message_id));
    expect(deleted.length).toBeGreaterThan(10);
  });

  it('stops talking to someone who blocked the bot, instead of failing again and again', async () => {
    harness.api.failNext('sendMessage', { code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect((await harness.text('/help')).status).toBe(200);
    const conversation = await database.db.selectFrom('conversations').select('status').executeTakeFirstOrThrow();
    expect(conversation.status).toBe('stopped');
  });
});

describe('a restart in the middle of a conversation', () => {
  it('loses no answer', async () => {
    const database = await createTestDatabase('sqlite');
    const harness = await createTelegramHarness(database);
    try {
      await harness.text('/start');
      await harness.choose('th');
      await harness.choose('safe');
      await harness.text('ถูกหลอกให้ลงทุน โอนไป 20,000 บาท');
      await harness.restart();
      await harness.choose('yes');
      const stored = await database.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
      expect(stored.status).toBe('active');
      // The next question after confirming what the story said: what kind of problem it is.
      expect(harness.sentTexts().at(-1)).toBe(say('th')('questions.category'));
    } finally {
      await harness.close();
      await database.dispose();
    }
  });
});
