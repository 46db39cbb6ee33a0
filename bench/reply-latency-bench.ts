import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Telegraf } from 'telegraf';
import { loadConfig } from '../app/config.js';
import { createPortal } from '../app/create-portal.js';
import { silentLogger } from '../app/logger.js';
import { openServices } from '../app/open-services.js';
import { createI18n, defaultLocalesDir, loadLocaleResources } from '../intake/i18n/create-i18n.js';
import { telegramSendsPerSecond } from '../bots/telegram/telegram-channel.js';
import { SendRateLimiter } from '../intake/chat/send-rate-limiter.js';
import { startFakeTelegramApi } from '../test/support/fake-telegram-api.js';
import { telegramShown, telegramUpdate } from '../test/chat/chat-platforms.js';
import { hasReference, personas, personDriver, type PersonAction } from '../test/chat/chat-script.js';
import type { BenchLine } from './bench-line.js';

const token = '7000000001:AAbench-token-0123456789abcdef';
const secret = 'bench-webhook-secret-0123456789';
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 100);

/** The value below which `share` of the sorted values lie. */
function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * How many messages the fake took for each chat, counted as they arrive (a
 * scan of only the new ones), and a wait for a chat to reach a count that
 * wakes on the fake's own notice of each request.
 */
function deliveryCounter(api: Awaited<ReturnType<typeof startFakeTelegramApi>>) {
  const counts = new Map<number, number>();
  let scanned = 0;
  const count = (chatId: number) => {
    for (; scanned < api.delivered.length; scanned += 1) {
      const id = api.delivered[scanned]!.chatId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts.get(chatId) ?? 0;
  };
  return { count, reached: (chatId: number, total: number) => api.until(() => count(chatId) >= total) };
}

/** A person in danger's conversation on a calm platform: the actions, and the messages seen after each one. */
interface Script {
  actions: PersonAction[];
  seenAfter: number[];
  /** How many messages were shown in each turn. */
  perTurn: number[];
  texts: string[];
}

async function post(url: string, update: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
}

/**
 * Reply latency as a person feels it: from the moment Telegram posts an
 * update to the webhook until the fake Bot API has taken the last message of
 * that turn, for a person in danger (the urgent path) in 100 conversations
 * at once, through the portal, the bot, the runner, the durable chat outbox
 * and its worker as the server runs them. The baseline, in the same run on
 * the same fake: a bare telegraf webhook handler that answers each update
 * with as many messages as the product's turn sent, one after the other.
 * Also counted, by driving the real bot: how many messages a person in
 * danger sends after choosing the language before they see emergency numbers
 * and before they have their report's reference.
 */
export async function benchReplyLatency(): Promise<BenchLine[]> {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-reply-bench-'));
  const api = await startFakeTelegramApi(token);
  const config = loadConfig({
    REPORTLINE_DATA_DIR: folder,
    REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_WEBHOOK_SECRET: secret,
    TELEGRAM_API_ROOT: api.apiRoot,
  });
  const services = await openServices(config, silentLogger);
  services.chatWorker.start(config.chatOutboxPollMs);
  const server = serve({ fetch: createPortal(services, silentLogger).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/telegram`;
  const counter = deliveryCounter(api);
  const persona = personas.find((candidate) => candidate.urgent)!;
  let updateId = 0;

  try {
    // One calm conversation first: what each turn shows, and when the numbers and the reference come.
    const calm = { chatId: 6_000_000, language: persona.language, name: persona.name };
    const driver = personDriver(persona);
    const script: Script = { actions: [], seenAfter: [], perTurn: [], texts: [] };
    for (;;) {
      const shown = telegramShown(api.delivered, calm.chatId);
      const action = driver.next(shown);
      if (!action) break;
      await post(webhook, telegramUpdate((updateId += 1), calm, action, shown));
      await services.chatWorker.idle();
      script.actions.push(action);
      script.seenAfter.push(counter.count(calm.chatId));
      script.perTurn.push(counter.count(calm.chatId) - (script.seenAfter.at(-2) ?? 0));
    }
    script.texts = telegramShown(api.delivered, calm.chatId).map((message) => message.text);
    const danger = sentUntil(script, persona.language, {
      numbers: createI18n(loadLocaleResources(defaultLocalesDir)).getFixedT(
        persona.language,
        'conversation',
      )('emergencyNumbers'),
    });

    // 100 people in danger at once, each answering as soon as the turn's last message arrived.
    const productLatencies: number[] = [];
    await Promise.all(
      Array.from({ length: conversations }, async (_, index) => {
        const person = { chatId: 6_100_000 + index, language: persona.language, name: persona.name };
        for (const [turn, action] of script.actions.entries()) {
          const update = telegramUpdate((updateId += 1), person, action, telegramShown(api.delivered, person.chatId));
          const started = performance.now();
          await post(webhook, update);
          await counter.reached(person.chatId, script.seenAfter[turn]!);
          productLatencies.push(performance.now() - started);
        }
      }),
    );

    const echoLatencies = await echoBaseline(api, counter, script.perTurn, { chatIds: 6_500_000 });
    // The same handler within Telegram's ~30 messages a second for the whole bot, as the outbox keeps to.
    const pacedLatencies = await echoBaseline(api, counter, script.perTurn, {
      chatIds: 6_700_000,
      pace: new SendRateLimiter(telegramSendsPerSecond),
    });
    const productP99 = percentile(productLatencies, 0.99);
    const echoP99 = percentile(echoLatencies, 0.99);
    const pacedP99 = percentile(pacedLatencies, 0.99);
    return [
      {
        name: `reply latency p50, webhook in → last message of the turn, ${conversations} people in danger at once`,
        value: percentile(productLatencies, 0.5),
        unit: 'ms',
        aim: 'reported',
        met: true,
      },
      { name: 'reply latency p99', value: productP99, unit: 'ms', aim: 'reported', met: true },
      {
        name: 'bare telegraf handler sending as many messages, p50',
        value: percentile(echoLatencies, 0.5),
        unit: 'ms',
        aim: 'baseline',
        met: true,
      },
      { name: 'bare telegraf handler, p99', value: echoP99, unit: 'ms', aim: 'baseline', met: true },
      {
        name: `bare telegraf handler within Telegram's ${telegramSendsPerSecond} messages/s, p50`,
        value: percentile(pacedLatencies, 0.5),
        unit: 'ms',
        aim: 'baseline',
        met: true,
      },
      {
        name: `bare telegraf handler within ${telegramSendsPerSecond} messages/s, p99`,
        value: pacedP99,
        unit: 'ms',
        aim: 'baseline',
        met: true,
      },
      {
        name: 'reply latency p99 / bare handler p99',
        value: productP99 / echoP99,
        unit: 'ratio',
        aim: '≤ 3',
        met: productP99 / echoP99 <= 3,
      },
      {
        name: `reply latency p99 / bare handler within ${telegramSendsPerSecond} messages/s p99`,
        value: productP99 / pacedP99,
        unit: 'ratio',
        aim: '≤ 3',
        met: productP99 / pacedP99 <= 3,
      },
      {
        name: 'messages a person in danger sends after choosing the language before seeing emergency numbers',
        value: danger.numbers,
        unit: 'messages',
        aim: '1',
        met: danger.numbers === 1,
      },
      {
        name: 'messages a person in danger sends after choosing the language before having the reference',
        value: danger.reference,
        unit: 'messages',
        aim: '≤ 3',
        met: danger.reference <= 3,
      },
    ];
  } finally {
    await services.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await api.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Counted from the calm conversation: the messages sent after the language
 * was chosen up to the one whose turn first showed the emergency numbers (a
 * message opening with the translation the bot gives them under), and up to
 * the one whose turn showed the reference. Infinity when never shown.
 */
function sentUntil(script: Script, language: string, texts: { numbers: string }) {
  const chosenAt = script.actions.findIndex((action) => action.kind === 'press' && action.value === language);
  const turnShowing = (matches: (text: string) => boolean) => {
    const messageIndex = script.texts.findIndex(matches);
    if (messageIndex < 0 || chosenAt < 0) return Number.POSITIVE_INFINITY;
    return script.seenAfter.findIndex((seen) => seen > messageIndex) - chosenAt;
  };
  return {
    numbers: turnShowing((text) => text.includes(texts.numbers)),
    reference: turnShowing(hasReference),
  };
}

/**
 * The same load on a bare telegraf webhook handler: each turn answered with the product's count of messages,
 * paced by `pace` when given (a bot that keeps to Telegram's limit for the whole bot); its people are `chatIds` on.
 */
async function echoBaseline(
  api: Awaited<ReturnType<typeof startFakeTelegramApi>>,
  counter: ReturnType<typeof deliveryCounter>,
  perTurn: number[],
  options: { chatIds: number; pace?: SendRateLimiter },
): Promise<number[]> {
  const { pace } = options;
  const bot = new Telegraf(token, { telegram: { apiRoot: api.apiRoot } });
  bot.on('message', async (context) => {
    const text = 'text' in context.message ? context.message.text : '';
    const count = Number(/^echo (\d+)$/.exec(text)?.[1] ?? 1);
    for (let sent = 0; sent < count; sent += 1) {
      await pace?.take();
      await context.reply(`${text} (${sent + 1})`);
    }
  });
  const handler = bot.webhookCallback('/echo', { secretToken: secret });
  const server: Server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
  const latencies: number[] = [];
  let updateId = 900_000;
  const echoUpdate = (chatId: number, count: number) => ({
    update_id: (updateId += 1),
    message: {
      message_id: updateId,
      from: { id: chatId, is_bot: false, first_name: 'Echo' },
      chat: { id: chatId, type: 'private' },
      date: 1_763_800_000,
      text: `echo ${count}`,
    },
  });
  try {
    // Warmed up as the product was by its calm conversation (telegraf asks getMe on its first update).
    await post(url, echoUpdate(options.chatIds - 1, 1));
    await counter.reached(options.chatIds - 1, 1);
    await Promise.all(
      Array.from({ length: conversations }, async (_, index) => {
        const chatId = options.chatIds + index;
        let expected = 0;
        for (const count of perTurn) {
          expected += count;
          const update = echoUpdate(chatId, count);
          const started = performance.now();
          await post(url, update);
          await counter.reached(chatId, expected);
          latencies.push(performance.now() - started);
        }
      }),
    );
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return latencies;
}
