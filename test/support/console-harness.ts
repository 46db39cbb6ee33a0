import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../app/config.js';
import { casePartsOf, createPortal } from '../../app/create-portal.js';
import { silentLogger } from '../../app/logger.js';
import { openServices } from '../../app/open-services.js';
import type { StaffRole } from '../../intake/accounts/account-store.js';
import type { CaseActor } from '../../intake/cases/case-actor.js';
import type { ReportInput } from '../../intake/report/report-schema.js';
import { startFakeTelegramApi } from './fake-telegram-api.js';
import { copyMigratedSqlite } from './migrated-sqlite-template.js';
import { shownButton } from './telegram-harness.js';
import { browserFor } from './public-portal.js';
import { testI18n } from './test-portal.js';

const botToken = '7000000002:AAconsole-test-token-0123456789';
const webhookSecret = 'console-webhook-secret-0123456789';

/**
 * Reportline as `npm start` assembles it (configuration, services, portal),
 * in this process, on a fresh SQLite file, with the Telegram bot talking to
 * a fake Bot API on 127.0.0.1. For the staff console and agency inbox tests.
 */
export async function openConsoleHarness(environment: Record<string, string> = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-console-'));
  const dataDir = join(folder, 'data');
  // The SQLite file starts as a copy of one migrated once (migrated-sqlite-template.ts); the services find nothing
  // left to migrate. A PostgreSQL schema (openHarnessOn) is migrated by the services as a first start does.
  if (!environment.DATABASE_URL) {
    mkdirSync(dataDir, { mode: 0o700 });
    await copyMigratedSqlite(join(dataDir, 'reportline.db'));
  }
  const api = await startFakeTelegramApi(botToken);
  const config = loadConfig({
    REPORTLINE_DATA_DIR: dataDir,
    REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
    TELEGRAM_BOT_TOKEN: botToken,
    TELEGRAM_WEBHOOK_SECRET: webhookSecret,
    TELEGRAM_API_ROOT: api.apiRoot,
    ...environment,
  });
  const services = await openServices(config, silentLogger);
  // As the server does: the chat outbox worker sends the bot's answers and staff replies.
  services.chatWorker.start(60_000);
  const app = createPortal(services, silentLogger);
  /** The use cases the portal is built with, for a test to set a case up as staff would. */
  const cases = casePartsOf(services).useCases;
  /** Who a test acts as when it sets a case up: an administrator, audited as `test`. */
  const testActor: CaseActor = { auditId: 'test', role: 'admin' };
  let accountNumber = 0;
  let updateId = 50_000;

  async function account(role: StaffRole, agencyId?: string) {
    accountNumber += 1;
    const username = `${role}-${accountNumber}`;
    const password = `${randomBytes(12).toString('base64url')}-pass`;
    const user = await services.accounts.createUser({ username, password, role, ...(agencyId ? { agencyId } : {}) });
    return { username, password, user };
  }

  /** A browser signed in as a new account of this role. */
  async function signedIn(role: StaffRole, agencyId?: string, language = 'en') {
    const { username, password, user } = await account(role, agencyId);
    const browser = browserFor(app, language);
    const form = await browser.open('/staff/login');
    const landed = await browser.submit(form, '/staff/login', { username, password });
    if (landed.response.status !== 200) throw new Error(`sign-in failed with ${landed.response.status}`);
    /** The console's form token, from any console page. */
    const consoleToken = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { ...browser, user, username, consoleToken };
  }

  async function submit(input: Partial<ReportInput> & Pick<ReportInput, 'consent'>) {
    return services.reports.submitReport(input, { actor: 'test' });
  }

  /** Updates to the Telegram webhook, as Telegram posts them, from one person. */
  function telegramUser(id: number, languageCode = 'ko') {
    const user = { id, is_bot: false, first_name: 'Reporter', language_code: languageCode };
    const chat = { id, type: 'private', first_name: 'Reporter' };
    const post = async (update: Record<string, unknown>) => {
      const response = await app.request('/webhooks/telegram', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
        body: JSON.stringify(update),
      });
      // Answered once the turn is committed: let the chat outbox worker send its answer.
      await services.chatWorker.idle();
      return response;
    };
    const text = (value: string) => {
      updateId += 1;
      const command = /^\/\w+/.exec(value)?.[0];
      return post({
        update_id: updateId,
        message: {
          message_id: updateId,
          from: user,
          chat,
          date: 1_763_800_000,
          text: value,
          ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' }] } : {}),
        },
      });
    };
    const choose = (value: string) => {
      updateId += 1;
      const shown = shownButton(api.delivered, id, value);
      return post({
        update_id: updateId,
        callback_query: {
          id: `cbq-${updateId}`,
          from: user,
          message: { message_id: shown.messageId, chat, date: 1_763_800_000, text: '…' },
          chat_instance: '-1',
          data: shown.data,
        },
      });
    };
    const lastText = () =>
      String(
        api
          .callsOf('sendMessage')
          .filter((call) => call.chat_id === id)
          .at(-1)?.text ?? '',
      );
    return {
      text,
      choose,
      lastText,
      sent: () =>
        api
          .callsOf('sendMessage')
          .filter((call) => call.chat_id === id)
          .map((call) => String(call.text)),
    };
  }

  /**
   * A whole report through the Telegram bot, in Korean: safe, a story, in
   * Korea and Korean, the other details skipped, consent to share and to be
   * contacted. Returns its reference.
   */
  async function telegramReport(chatId: number, story: string): Promise<string> {
    const person = telegramUser(chatId);
    const t = testI18n.getFixedT('ko', 'conversation');
    await person.text('/start');
    await person.choose('ko');
    await person.choose('safe');
    await person.text(story);
    if (person.lastText().startsWith(t('questions.confirmFound', { items: '' }).slice(0, 6)))
      await person.choose('yes');
    await person.choose('investment_crypto');
    // They say where they are from and where they are; everything else is skipped.
    for (let i = 0; i < 12 && !person.lastText().includes(t('questions.summary')); i += 1) {
      const asked = person.lastText();
      if (asked.includes(t('questions.nationality')) || asked.includes(t('questions.currentCountry')))
        await person.choose('KR');
      else await person.text('/skip');
    }
    await person.choose('confirm');
    await person.choose('yes');
    await person.choose('yes');
    const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(person.sent().join('\n'))?.[0];
    if (!reference) throw new Error(`the Telegram conversation stored no report:\n${person.sent().join('\n---\n')}`);
    return reference;
  }

  return {
    services,
    app,
    api,
    cases,
    testActor,
    account,
    signedIn,
    submit,
    telegramUser,
    telegramReport,
    close: async () => {
      await services.close();
      await api.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export type ConsoleHarness = Awaited<ReturnType<typeof openConsoleHarness>>;
