import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../intake/store/open-database.js';
import { startFakeLineApi, type LineFailure } from '../support/fake-line-api.js';
import { startFakeTelegramApi, type TelegramFailure } from '../support/fake-telegram-api.js';
import { createLineHarness, lineSignature } from '../support/line-harness.js';
import { freePort, runEntryPoint, type RunningProcess } from '../support/spawn-process.js';
import { createTelegramHarness } from '../support/telegram-harness.js';
import { createTestDatabase } from '../support/test-databases.js';
import { lineEvent, lineRecipients, lineShown, telegramShown, telegramUpdate } from './chat-platforms.js';
import {
  buttonValue,
  comparable,
  hasReference,
  personas,
  personDriver,
  type Persona,
  type PersonAction,
  type ShownMessage,
} from './chat-script.js';

const telegramToken = '7000000001:AAchaos-test-token-0123456789';
const webhookSecret = 'chaos-secret-0123456789';
const lineAccessToken = 'chaos-line-access-token-0123456789';
const lineSecret = '0123456789abcdef0123456789abcdef';
const seed = 20_261_201;
const peoplePerPlatform = 50;

/** A small seeded generator (mulberry32): the same failures at the same points on every run. */
function seededRandom(start: number) {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What one persona's whole conversation is on a healthy platform: their actions and, after each, the messages seen. */
interface Script {
  actions: PersonAction[];
  /** How many messages the person has seen once each action's turn is delivered. */
  seenAfter: number[];
  texts: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The persona's conversation through the product in this process, with nothing failing: the order to expect. */
async function telegramScript(persona: Persona, chatId: number): Promise<Script> {
  const database = await createTestDatabase('sqlite');
  const harness = await createTelegramHarness(database);
  try {
    const driver = personDriver(persona);
    const script: Script = { actions: [], seenAfter: [], texts: [] };
    const person = { chatId, language: persona.language, name: persona.name };
    for (let updateId = 1; ; updateId += 1) {
      const before = telegramShown(harness.api.delivered, chatId);
      const action = driver.next(before);
      if (!action) break;
      const response = await harness.post(telegramUpdate(updateId, person, action, before));
      expect(response.status).toBe(200);
      await harness.flush();
      script.actions.push(action);
      script.seenAfter.push(telegramShown(harness.api.delivered, chatId).length);
    }
    script.texts = telegramShown(harness.api.delivered, chatId).map((message) => comparable(message.text));
    return script;
  } finally {
    await harness.close();
    await database.dispose();
  }
}

async function lineScript(persona: Persona, userId: string): Promise<Script> {
  const database = await createTestDatabase('sqlite');
  const harness = await createLineHarness(database, userId);
  try {
    const driver = personDriver(persona);
    const script: Script = { actions: [], seenAfter: [], texts: [] };
    const shown = () => harness.shown().map((text, index) => ({ text, buttons: buttonsAt(index) }));
    const buttonsAt = (index: number) => lineShown([harness.api.delivered[index]!], [userId], userId)[0]!.buttons;
    for (let n = 1; ; n += 1) {
      const before = shown();
      const action = driver.next(before);
      if (!action) break;
      const ids = { eventId: `01HREF${String(n).padStart(20, '0')}`, replyToken: `ref-${n}`, messageId: String(n) };
      const response = await harness.deliver([lineEvent(ids, userId, action, before)]);
      expect(response.status).toBe(200);
      await harness.flush();
      script.actions.push(action);
      script.seenAfter.push(harness.shown().length);
    }
    script.texts = harness.shown().map(comparable);
    return script;
  } finally {
    await harness.close();
  }
}

function startServer(environment: Record<string, string>, port: number): RunningProcess {
  return runEntryPoint('app/server.ts', [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    CHAT_OUTBOX_LEASE_SECONDS: '1',
    CHAT_OUTBOX_POLL_SECONDS: '1',
    ...environment,
  });
}

/** Whether the person can do this now: a press needs its button under the newest message. */
function canTake(action: PersonAction, shown: ShownMessage[]): boolean {
  if (action.kind === 'text') return true;
  return (shown.at(-1)?.buttons ?? []).some((button) => buttonValue(button.data) === action.value);
}

/** Resolves once `condition` holds, checking every 20 ms; false after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) return false;
    await sleep(20);
  }
  return true;
}

describe('chaos: 50 conversations on Telegram and 50 on LINE while the platforms fail and the server is killed', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-chaos-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('every person sees every message of every turn, in order, once; every urgent reporter gets the reference; one report each', async () => {
    // What each persona's conversation is on healthy platforms, through the same product.
    const telegramScripts = await Promise.all(
      personas.map((persona, index) => telegramScript(persona, 9_000_000 + index)),
    );
    const lineScripts = await Promise.all(
      personas.map((persona, index) => lineScript(persona, `U${'f'.repeat(31)}${index}`)),
    );
    for (const script of [...telegramScripts, ...lineScripts]) expect(script.actions.length).toBeGreaterThan(3);

    // The run's own choices (where to kill) and each person's (which failure before which turn) are seeded apart,
    // so a person meets the same failures however the 100 conversations interleave.
    const random = seededRandom(seed);
    const personRandom = (index: number) => seededRandom(seed + 1 + index);
    const telegram = await startFakeTelegramApi(telegramToken);
    const line = await startFakeLineApi(lineAccessToken);
    const port = await freePort();
    const dataDir = join(folder, 'server');
    const environment = {
      REPORTLINE_DATA_DIR: dataDir,
      REPORTLINE_DATA_KEY: randomBytes(32).toString('hex'),
      TELEGRAM_BOT_TOKEN: telegramToken,
      TELEGRAM_WEBHOOK_SECRET: webhookSecret,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      LINE_CHANNEL_ACCESS_TOKEN: lineAccessToken,
      LINE_CHANNEL_SECRET: lineSecret,
      LINE_API_BASE_URL: line.baseUrl,
      LINE_DATA_API_BASE_URL: line.baseUrl,
    };
    const base = `http://127.0.0.1:${port}`;
    let server = startServer(environment, port);
    await server.waitForOutput(/LINE bot waiting for events/);

    const totalTurns =
      peoplePerPlatform *
      2 *
      ([...telegramScripts, ...lineScripts].reduce((sum, script) => sum + script.actions.length, 0) /
        (telegramScripts.length + lineScripts.length));
    // Killed once, in the middle of the run, while bursts are being sent.
    const killAt = Math.floor(totalTurns * (0.35 + random() * 0.15));
    let posted = 0;
    let killed = false;
    let restarting: Promise<void> | undefined;
    let restartingNow = false;
    const injected = { telegram: 0, line: 0, presses: 0, redeliveries: 0 };

    async function maybeKill() {
      posted += 1;
      if (killed || posted < killAt) return;
      killed = true;
      restartingNow = true;
      restarting = (async () => {
        server.child.kill('SIGKILL');
        await server.exited;
        server = startServer(environment, port);
        await server.waitForOutput(/LINE bot waiting for events/, 60_000);
        restartingNow = false;
      })();
    }

    /** Posts until the server answers 200, as a platform retries a webhook it got no answer to. */
    const answers = new Map<string, number>();
    async function deliver(path: string, headers: (body: string) => Record<string, string>, body: () => string) {
      for (let attempt = 0; ; attempt += 1) {
        const payload = body();
        try {
          const response = await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers(payload) },
            body: payload,
            signal: AbortSignal.timeout(15_000),
          });
          await response.arrayBuffer();
          const answered = `${path} ${response.status}${restartingNow ? ' (while restarting)' : ''}`;
          answers.set(answered, (answers.get(answered) ?? 0) + 1);
          if (response.status === 200) return;
        } catch {
          // Refused or dropped (the server is down): the platform tries again a little later.
          const refused = `${path} no answer${restartingNow ? ' (while restarting)' : ''}`;
          answers.set(refused, (answers.get(refused) ?? 0) + 1);
        }
        if (attempt > 400) throw new Error(`${path} never answered 200`);
        await sleep(150);
      }
    }

    /** What each person met, turn by turn: for the failure message, so a finding names its cause. */
    const journal = new Map<string, string[]>();
    const note = (who: string, entry: string) => journal.set(who, [...(journal.get(who) ?? []), entry]);

    function injectTelegramFailure(action: PersonAction, random: () => number): string[] {
      const met: string[] = [];
      const roll = random();
      const failures: TelegramFailure[] = [
        { code: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 },
        { code: 500, description: 'Internal Server Error' },
        { drop: true },
      ];
      if (roll < 0.15) {
        const failure = failures[Math.floor(random() * failures.length)]!;
        telegram.failNext('sendMessage', failure);
        met.push(`sendMessage ${'drop' in failure ? 'drop' : failure.code}`);
        injected.telegram += 1;
      }
      if (action.kind === 'press' && random() < 0.3) {
        telegram.failNext('answerCallbackQuery', {
          code: 400,
          description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
        });
        injected.presses += 1;
        met.push('answerCallbackQuery too old');
      }
      return met;
    }

    function injectLineFailure(random: () => number): string[] {
      if (random() >= 0.15) return [];
      const failures: Array<[string, LineFailure]> = [
        ['/v2/bot/message/reply', { status: 429, message: 'Too Many Requests', retryAfter: 1 }],
        ['/v2/bot/message/reply', { status: 500, message: 'Internal Server Error' }],
        ['/v2/bot/message/reply', { drop: true }],
        ['/v2/bot/message/push', { status: 429, message: 'Too Many Requests', retryAfter: 1 }],
        ['/v2/bot/message/push', { status: 500, message: 'Internal Server Error' }],
        ['/v2/bot/message/push', { drop: true }],
        ['/v2/bot/message/push', { dropAfterTaking: true }],
      ];
      const [path, failure] = failures[Math.floor(random() * failures.length)]!;
      line.failNext(path, failure);
      injected.line += 1;
      return [`${path.split('/').at(-1)} ${'status' in failure ? failure.status : Object.keys(failure)[0]}`];
    }

    const lineUserOfToken = new Map<string, string>();
    const seenBy = {
      telegram: (chatId: number) => telegramShown(telegram.delivered, chatId),
      line: (userId: string) =>
        lineShown(
          line.delivered,
          lineRecipients(line.delivered, line.calls, (token) => lineUserOfToken.get(token)),
          userId,
        ),
    };
    const outcomes: Array<{ who: string; platform: 'telegram' | 'line'; persona: Persona; seen: ShownMessage[] }> = [];
    let nextUpdateId = 50_000;

    async function runTelegramPerson(index: number) {
      const persona = personas[index % personas.length]!;
      const script = telegramScripts[index % personas.length]!;
      const person = { chatId: 7_100_000 + index, language: persona.language, name: persona.name };
      const random = personRandom(index);
      for (const [turn, action] of script.actions.entries()) {
        const shown = seenBy.telegram(person.chatId);
        // A button the person no longer sees (a message lost or out of order): their conversation stops here.
        if (!canTake(action, shown)) break;
        const update = telegramUpdate((nextUpdateId += 1), person, action, shown);
        const met = injectTelegramFailure(action, random);
        const wasKilled = killed;
        const body = JSON.stringify(update);
        const headers = () => ({ 'x-telegram-bot-api-secret-token': webhookSecret });
        await maybeKill();
        await deliver('/webhooks/telegram', headers, () => body);
        if (random() < 0.1) {
          // Telegram sends an update again when it missed the answer.
          injected.redeliveries += 1;
          met.push('redelivered');
          await deliver('/webhooks/telegram', headers, () => body);
        }
        if (killed !== wasKilled) met.push('server killed');
        note(
          String(person.chatId),
          `turn ${turn} ${action.kind === 'press' ? action.value : 'text'}: ${met.join(', ')}`,
        );
        const expected = script.seenAfter[turn]!;
        if (!(await eventually(() => seenBy.telegram(person.chatId).length >= expected, 30_000))) break;
      }
      outcomes.push({
        who: String(person.chatId),
        platform: 'telegram',
        persona,
        seen: seenBy.telegram(person.chatId),
      });
    }

    async function runLinePerson(index: number) {
      const persona = personas[index % personas.length]!;
      const script = lineScripts[index % personas.length]!;
      const userId = `U${index.toString(16).padStart(32, '0')}`;
      const random = personRandom(peoplePerPlatform + index);
      for (const [turn, action] of script.actions.entries()) {
        const n = (nextUpdateId += 1);
        const ids = {
          eventId: `01HCHAOS${String(n).padStart(18, '0')}`,
          replyToken: `chaos-${n}`,
          messageId: String(n),
        };
        lineUserOfToken.set(ids.replyToken, userId);
        const shown = seenBy.line(userId);
        if (!canTake(action, shown)) break;
        const event = lineEvent(ids, userId, action, shown);
        const met = injectLineFailure(random);
        const wasKilled = killed;
        let deliveries = 0;
        // A redelivery carries the same event, marked as one (deliveryContext.isRedelivery).
        const body = () =>
          JSON.stringify({
            destination: 'Ubot0000000000000000000000000000',
            events: [{ ...event, deliveryContext: { isRedelivery: (deliveries += 1) > 1 } }],
          });
        const headers = (payload: string) => ({ 'x-line-signature': lineSignature(payload, lineSecret) });
        await maybeKill();
        await deliver('/webhooks/line', headers, body);
        if (random() < 0.1) {
          injected.redeliveries += 1;
          met.push('redelivered');
          await deliver('/webhooks/line', headers, body);
        }
        if (killed !== wasKilled) met.push('server killed');
        note(userId, `turn ${turn} ${action.kind === 'press' ? action.value : 'text'}: ${met.join(', ')}`);
        const expected = script.seenAfter[turn]!;
        if (!(await eventually(() => seenBy.line(userId).length >= expected, 30_000))) break;
      }
      outcomes.push({ who: userId, platform: 'line', persona, seen: seenBy.line(userId) });
    }

    try {
      await Promise.all([
        ...Array.from({ length: peoplePerPlatform }, (_, index) => runTelegramPerson(index)),
        ...Array.from({ length: peoplePerPlatform }, (_, index) => runLinePerson(index)),
      ]);
      await restarting;
      // Anything still on its way (a redelivery's answer) has had its chance.
      await sleep(1_500);
      for (const outcome of outcomes) {
        outcome.seen =
          outcome.platform === 'telegram' ? seenBy.telegram(Number(outcome.who)) : seenBy.line(outcome.who);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await Promise.all([telegram.close(), line.close()]);
    }

    if (process.env.CHAOS_DUMP) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        process.env.CHAOS_DUMP,
        JSON.stringify(
          {
            telegramScripts,
            lineScripts,
            injected,
            answers: Object.fromEntries(answers),
            journal: Object.fromEntries(journal),
            outcomes,
            output: server.output().slice(-20_000),
          },
          null,
          1,
        ),
      );
    }
    expect(killed).toBe(true);
    expect(injected.telegram + injected.line).toBeGreaterThan(20);
    expect(outcomes).toHaveLength(peoplePerPlatform * 2);
    // Every person saw exactly what the healthy run showed: every message of every turn, in order, none twice.
    const differing = outcomes.filter((outcome) => {
      const scripts = outcome.platform === 'telegram' ? telegramScripts : lineScripts;
      const script = scripts[personas.indexOf(outcome.persona)]!;
      return JSON.stringify(outcome.seen.map((message) => comparable(message.text))) !== JSON.stringify(script.texts);
    });
    expect(
      differing.map((outcome) => {
        const scripts = outcome.platform === 'telegram' ? telegramScripts : lineScripts;
        const expected = scripts[personas.indexOf(outcome.persona)]!.texts;
        const seen = outcome.seen.map((message) => comparable(message.text));
        const firstDifference = expected.findIndex((text, index) => seen[index] !== text);
        return {
          who: `${outcome.platform}:${outcome.persona.name}`,
          expected: expected.length,
          seen: seen.length,
          firstDifference,
          expectedThere: expected[firstDifference]?.slice(0, 60),
          seenThere: seen[firstDifference]?.slice(0, 60),
          met: journal.get(outcome.who),
        };
      }),
    ).toEqual([]);
    // Every urgent reporter got their reference.
    for (const outcome of outcomes.filter((candidate) => candidate.persona.urgent))
      expect(
        outcome.seen.some((message) => hasReference(message.text)),
        outcome.who,
      ).toBe(true);

    // One report per person, never two; urgent as the person said, shared as they agreed (each press read right).
    const db = openDatabase({ kind: 'sqlite', filename: join(dataDir, 'reportline.db') });
    try {
      const reports = await db.selectFrom('reports').select(['reference', 'urgent', 'channel']).execute();
      const shownReferences = new Set(
        outcomes.flatMap((outcome) =>
          outcome.seen.flatMap((message) => message.text.match(/RL-[0-9A-Z]{4}-[0-9A-Z]{4}/g) ?? []),
        ),
      );
      expect(reports).toHaveLength(peoplePerPlatform * 2);
      expect(new Set(reports.map((row) => row.reference))).toEqual(shownReferences);
      const urgentCount = outcomes.filter((outcome) => outcome.persona.urgent).length;
      expect(reports.filter((row) => row.urgent === 1)).toHaveLength(urgentCount);
    } finally {
      await db.destroy();
    }
  }, 240_000);
});
