import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { startFakeLineApi, type LineFailure } from '../support/fake-line-api.js';
import { startFakeTelegramApi, type TelegramFailure } from '../support/fake-telegram-api.js';
import { lineSignature } from '../support/line-harness.js';
import { freePort, runEntryPoint, type RunningProcess } from '../support/spawn-process.js';
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
/**
 * How long one turn's messages may take to come. The product's leases are 10 s, renewed while in hand, so what a
 * killed process or a dropped send held comes within about 20 s; the wait is twice that again because other test
 * files run beside this one (on a machine busy with other suites, 30 s ran out for turns that came a little later).
 */
const turnWaitMs = 60_000;
type Platform = 'telegram' | 'line';

/** A small seeded generator (mulberry32): the same choices on every run. */
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true once `condition` holds, checking every 20 ms; false after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Whether the server has nothing left to do for anyone: every event it journaled handled and every message of the
 * chat outbox sent (a turn writes its messages to the outbox in the transaction that saves it, and a row is marked
 * sent once the platform took it, so by then the fake platform shows it).
 */
async function serverIdle(db: Kysely<Database>): Promise<boolean> {
  const open = await db.selectFrom('inbound_events').select('id').where('processed_at', 'is', null).limit(1).execute();
  if (open.length > 0) return false;
  const unsent = await db.selectFrom('chat_outbox').select('id').where('status', '=', 'pending').limit(1).execute();
  return unsent.length === 0;
}

/** Whether the person can do this now: a press needs its button under the newest message. */
function canTake(action: PersonAction, shown: ShownMessage[]): boolean {
  if (action.kind === 'text') return true;
  return (shown.at(-1)?.buttons ?? []).some((button) => buttonValue(button.data) === action.value);
}

/**
 * What a person saw with a message shown twice in a row kept once. A process
 * killed after the platform took a message and before it could record that
 * sends it again after the restart (the Bot API and LINE's reply have no
 * idempotency key): the test tolerates that repetition only for people who
 * were mid-turn when the server was killed, and counts it.
 */
function withoutRepeats(shown: ShownMessage[]): { shown: ShownMessage[]; repeats: number } {
  const kept: ShownMessage[] = [];
  for (const message of shown) if (kept.at(-1)?.text !== message.text) kept.push(message);
  return { shown: kept, repeats: shown.length - kept.length };
}

/** One persona's conversation on a healthy platform: their actions and, after each turn, the messages seen. */
interface Script {
  actions: PersonAction[];
  seenAfter: number[];
  texts: string[];
}

function startServer(environment: Record<string, string>, port: number): RunningProcess {
  return runEntryPoint('app/server.ts', [], {
    PORT: String(port),
    HOST: '127.0.0.1',
    // The product's own leases and polling (LINE_EVENT_LEASE_SECONDS, CHAT_OUTBOX_LEASE_SECONDS: 10 s, renewed while
    // in hand): what a killed process held must reach the person within the test's turn wait all the same.
    ...environment,
  });
}

describe('chaos: 50 conversations on Telegram and 50 on LINE while the platforms fail and the server is killed', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-chaos-'));
  // CHAOS_DUMP keeps the server's data folder too, to look into its database after a failure.
  afterAll(() => (process.env.CHAOS_DUMP ? undefined : rmSync(folder, { recursive: true, force: true })));

  it('every person sees every message of every turn, in order; every urgent reporter gets the reference; one report each', async () => {
    const random = seededRandom(seed);
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

    const lineUserOfToken = new Map<string, string>();
    const seenBy = (platform: Platform, who: string): ShownMessage[] =>
      platform === 'telegram'
        ? telegramShown(telegram.delivered, Number(who))
        : lineShown(
            line.delivered,
            lineRecipients(line.delivered, line.calls, (token) => lineUserOfToken.get(token)),
            who,
          );
    const answers = new Map<string, number>();
    let restarting = false;
    let eventNumber = 10_000;

    /** Posts until the server answers 200, as a platform retries a webhook it got no answer to. */
    async function deliver(path: string, headers: (body: string) => Record<string, string>, body: () => string) {
      for (let attempt = 0; ; attempt += 1) {
        const payload = body();
        let answer = 'no answer';
        try {
          const response = await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers(payload) },
            body: payload,
            signal: AbortSignal.timeout(15_000),
          });
          await response.arrayBuffer();
          answer = String(response.status);
        } catch {
          // Refused or dropped (the server is down): the platform tries again a little later.
        }
        const key = `${path} ${answer}${restarting ? ' (server restarting)' : ''}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
        if (answer === '200') return;
        if (attempt > 400) throw new Error(`${path} never answered 200`);
        await sleep(150);
      }
    }

    /** One person's action as their platform delivers it; `again` delivers the same update or event once more. */
    async function act(platform: Platform, who: string, persona: Persona, action: PersonAction, again: boolean) {
      const shown = seenBy(platform, who);
      const n = (eventNumber += 1);
      if (platform === 'telegram') {
        const person = { chatId: Number(who), language: persona.language, name: persona.name };
        const body = JSON.stringify(telegramUpdate(n, person, action, shown));
        const headers = () => ({ 'x-telegram-bot-api-secret-token': webhookSecret });
        await deliver('/webhooks/telegram', headers, () => body);
        // Telegram sends an update again when it missed the answer.
        if (again) await deliver('/webhooks/telegram', headers, () => body);
        return;
      }
      const ids = { eventId: `01HCHAOS${String(n).padStart(18, '0')}`, replyToken: `chaos-${n}`, messageId: String(n) };
      lineUserOfToken.set(ids.replyToken, who);
      const event = lineEvent(ids, who, action, shown);
      let sent = 0;
      // A redelivery carries the same event, marked as one (deliveryContext.isRedelivery).
      const body = () =>
        JSON.stringify({
          destination: 'Ubot0000000000000000000000000000',
          events: [{ ...event, deliveryContext: { isRedelivery: (sent += 1) > 1 } }],
        });
      const headers = (payload: string) => ({ 'x-line-signature': lineSignature(payload, lineSecret) });
      await deliver('/webhooks/line', headers, body);
      if (again) await deliver('/webhooks/line', headers, body);
    }

    /** The server's database, read beside it (WAL) to tell when it has finished a turn. */
    let observer: Kysely<Database> | undefined;

    /**
     * A persona's conversation on the healthy platforms, through the same
     * server: a turn is over once the server has handled every event and sent
     * every message (checked twice, with nothing new shown between). Waiting
     * for half a second of quiet instead ended a turn early when a busy
     * machine paused the server longer than that between two messages.
     */
    async function calmScript(platform: Platform, who: string, persona: Persona): Promise<Script> {
      const driver = personDriver(persona);
      const script: Script = { actions: [], seenAfter: [], texts: [] };
      for (;;) {
        const shown = seenBy(platform, who);
        const action = driver.next(shown);
        if (!action) break;
        await act(platform, who, persona, action, false);
        for (let idleWith = -1, until = Date.now() + 30_000; ; await sleep(20)) {
          if (Date.now() > until) throw new Error(`a healthy turn of ${platform}:${persona.name} did not end in 30 s`);
          const count = seenBy(platform, who).length;
          if (!(await serverIdle(observer!))) idleWith = -1;
          else if (idleWith === count) break;
          else idleWith = count;
        }
        script.actions.push(action);
        script.seenAfter.push(seenBy(platform, who).length);
      }
      script.texts = seenBy(platform, who).map((message) => comparable(message.text));
      return script;
    }

    const injected = { telegram: 0, line: 0, presses: 0, redeliveries: 0 };
    function injectTelegramFailure(action: PersonAction, chance: () => number): string[] {
      const met: string[] = [];
      const failures: TelegramFailure[] = [
        { code: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 },
        { code: 500, description: 'Internal Server Error' },
        { drop: true },
      ];
      if (chance() < 0.15) {
        const failure = failures[Math.floor(chance() * failures.length)]!;
        telegram.failNext('sendMessage', failure);
        met.push(`sendMessage ${'drop' in failure ? 'drop' : failure.code}`);
        injected.telegram += 1;
      }
      if (action.kind === 'press' && chance() < 0.3) {
        telegram.failNext('answerCallbackQuery', {
          code: 400,
          description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
        });
        met.push('answerCallbackQuery too old');
        injected.presses += 1;
      }
      return met;
    }
    function injectLineFailure(who: string, chance: () => number): string[] {
      if (chance() >= 0.15) return [];
      const failures: Array<[string, LineFailure]> = [
        ['/v2/bot/message/reply', { status: 429, message: 'Too Many Requests', retryAfter: 1 }],
        ['/v2/bot/message/reply', { status: 500, message: 'Internal Server Error' }],
        ['/v2/bot/message/reply', { drop: true }],
        ['/v2/bot/message/push', { status: 429, message: 'Too Many Requests', retryAfter: 1 }],
        ['/v2/bot/message/push', { status: 500, message: 'Internal Server Error' }],
        ['/v2/bot/message/push', { drop: true }],
        ['/v2/bot/message/push', { dropAfterTaking: true }],
      ];
      const [path, failure] = failures[Math.floor(chance() * failures.length)]!;
      // This person's next push or reply fails, as the platform's failure would meet their send (a failure left
      // for whoever calls next piled up on the few pushes and failed one person's answer ten times running).
      line.failNextFor(
        path,
        (body) => body?.to === who || lineUserOfToken.get(String(body?.replyToken)) === who,
        failure,
      );
      injected.line += 1;
      return [`${path.split('/').at(-1)} ${'status' in failure ? failure.status : Object.keys(failure)[0]}`];
    }

    interface Outcome {
      platform: Platform;
      who: string;
      persona: Persona;
      script: Script;
      seen: ShownMessage[];
      /** Mid-turn when the server was killed. */
      hitByKill: boolean;
      journal: string[];
      /** The turn whose messages had not all come within the turn wait, when one had not. */
      stalledAt?: number;
      /** Whether that turn's messages did come in the end (late), after the others finished. */
      cameLate?: boolean;
    }
    const outcomes: Outcome[] = [];
    const midTurn = new Set<Outcome>();
    let posted = 0;
    let killAt = Number.POSITIVE_INFINITY;
    let restarted: Promise<void> | undefined;
    /** What the killed server wrote (for CHAOS_DUMP). */
    let killedOutput = '';

    function maybeKill() {
      posted += 1;
      if (restarted || posted < killAt) return;
      // Everyone mid-turn now is mid-burst: what was sent and not yet recorded is sent again after the restart.
      for (const outcome of midTurn) outcome.hitByKill = true;
      restarting = true;
      restarted = (async () => {
        server.child.kill('SIGKILL');
        await server.exited;
        killedOutput = server.output();
        server = startServer(environment, port);
        await server.waitForOutput(/LINE bot waiting for events/, 60_000);
        restarting = false;
      })();
    }

    async function chaosConversation(outcome: Outcome, chance: () => number) {
      const { platform, who, persona, script } = outcome;
      for (const [turn, action] of script.actions.entries()) {
        if (!canTake(action, withoutRepeats(seenBy(platform, who)).shown)) {
          outcome.journal.push(
            `turn ${turn}: the button "${action.kind === 'press' ? action.value : ''}" is not shown`,
          );
          break;
        }
        const met = platform === 'telegram' ? injectTelegramFailure(action, chance) : injectLineFailure(who, chance);
        const again = chance() < 0.1;
        if (again) {
          met.push('redelivered');
          injected.redeliveries += 1;
        }
        midTurn.add(outcome);
        maybeKill();
        await act(platform, who, persona, action, again);
        const turnShown = () => withoutRepeats(seenBy(platform, who)).shown.length >= script.seenAfter[turn]!;
        let arrived = await eventually(turnShown, turnWaitMs);
        // A turn the kill caught waits on the new server, whose own start-up took part of the wait on a busy
        // machine: it gets the whole wait again from when the new server is up.
        if (!arrived && outcome.hitByKill && restarted) {
          await restarted;
          arrived = await eventually(turnShown, turnWaitMs);
        }
        midTurn.delete(outcome);
        outcome.journal.push(`turn ${turn} ${action.kind === 'press' ? action.value : 'text'}: ${met.join(', ')}`);
        if (!arrived) {
          outcome.journal.push(`turn ${turn}: its messages did not all come within ${turnWaitMs / 1000} s`);
          outcome.stalledAt = turn;
          break;
        }
      }
    }

    try {
      await server.waitForOutput(/LINE bot waiting for events/);
      observer = openDatabase({ kind: 'sqlite', filename: join(dataDir, 'reportline.db') });
      // What each persona's conversation is on healthy platforms, on this server.
      const scripts = new Map<string, Script>();
      await Promise.all(
        (['telegram', 'line'] as const).flatMap((platform) =>
          personas.map(async (persona, index) => {
            const who = platform === 'telegram' ? String(9_000_000 + index) : `U${'f'.repeat(31)}${index}`;
            scripts.set(`${platform}:${persona.name}`, await calmScript(platform, who, persona));
          }),
        ),
      );
      for (const script of scripts.values()) {
        expect(script.actions.length).toBeGreaterThan(3);
        // No message of a healthy run repeats the one before it, so a repeat is always the kill's.
        expect(withoutRepeats(script.texts.map((text) => ({ text, buttons: [] }))).repeats).toBe(0);
      }

      for (const platform of ['telegram', 'line'] as const) {
        for (let index = 0; index < peoplePerPlatform; index += 1) {
          const persona = personas[index % personas.length]!;
          outcomes.push({
            platform,
            who: platform === 'telegram' ? String(7_100_000 + index) : `U${index.toString(16).padStart(32, '0')}`,
            persona,
            script: scripts.get(`${platform}:${persona.name}`)!,
            seen: [],
            hitByKill: false,
            journal: [],
          });
        }
      }
      const totalTurns = outcomes.reduce((sum, outcome) => sum + outcome.script.actions.length, 0);
      // Killed once, in the middle of the run, while bursts are being sent.
      killAt = Math.floor(totalTurns * (0.35 + random() * 0.15));
      // Each person meets the same failures however the conversations interleave: their own seeded chances.
      await Promise.all(outcomes.map((outcome, index) => chaosConversation(outcome, seededRandom(seed + 1 + index))));
      await restarted;
      // Anything still on its way (a redelivery's answer) has had its chance; a stalled turn 20 s more.
      await sleep(1_500);
      const stalled = outcomes.filter((outcome) => outcome.stalledAt !== undefined);
      await eventually(
        () =>
          stalled.every(
            (outcome) =>
              withoutRepeats(seenBy(outcome.platform, outcome.who)).shown.length >=
              outcome.script.seenAfter[outcome.stalledAt!]!,
          ),
        20_000,
      );
      for (const outcome of stalled) {
        outcome.cameLate =
          withoutRepeats(seenBy(outcome.platform, outcome.who)).shown.length >=
          outcome.script.seenAfter[outcome.stalledAt!]!;
      }
      for (const outcome of outcomes) outcome.seen = seenBy(outcome.platform, outcome.who);
    } finally {
      await observer?.destroy();
      server.child.kill('SIGTERM');
      await server.exited;
      await Promise.all([telegram.close(), line.close()]);
    }

    const findings = outcomes.flatMap((outcome) => {
      const { shown, repeats } = withoutRepeats(outcome.seen);
      const seen = shown.map((message) => comparable(message.text));
      const expected = outcome.script.texts;
      const at = expected.findIndex((text, index) => seen[index] !== text);
      const differs = at >= 0 || seen.length !== expected.length;
      if (!differs && (repeats === 0 || outcome.hitByKill)) return [];
      return [
        {
          who: `${outcome.platform}:${outcome.persona.name}:${outcome.who}`,
          expected: expected.length,
          seen: seen.length,
          repeats,
          hitByKill: outcome.hitByKill,
          ...(outcome.stalledAt !== undefined
            ? { stalledAtTurn: outcome.stalledAt, stalledTurnCameWithin20sMore: outcome.cameLate }
            : {}),
          firstDifference: at,
          expectedThere: expected[at]?.slice(0, 50),
          seenThere: seen[at]?.slice(0, 50),
          journal: outcome.journal,
        },
      ];
    });
    if (process.env.CHAOS_DUMP) {
      writeFileSync(
        process.env.CHAOS_DUMP,
        JSON.stringify(
          { injected, answers: Object.fromEntries(answers), findings, killedOutput, output: server.output() },
          null,
          1,
        ),
      );
    }

    // A refused callback answer ("query is too old") is a warning under its own code, never a failed update.
    const logLines = `${killedOutput}\n${server.output()}`.split('\n');
    expect(logLines.some((line) => / warn telegram\.answer_callback_failed /.test(line))).toBe(true);
    expect(logLines.filter((line) => line.includes('answer_callback_failed') && / error /.test(line))).toEqual([]);
    expect(restarted).toBeDefined();
    expect(injected.telegram + injected.line).toBeGreaterThan(20);
    // Every person saw what the healthy run showed: every message of every turn, in order.
    expect(findings).toEqual([]);
    // Every urgent reporter got their reference.
    for (const outcome of outcomes.filter((candidate) => candidate.persona.urgent))
      expect(
        outcome.seen.some((message) => hasReference(message.text)),
        outcome.who,
      ).toBe(true);

    // One report per person, never two; urgent exactly when the person said so (each press read right).
    const db = openDatabase({ kind: 'sqlite', filename: join(dataDir, 'reportline.db') });
    try {
      const reports = await db.selectFrom('reports').select(['reference', 'urgent']).execute();
      const shownReferences = outcomes.map(
        (outcome) =>
          new Set(outcome.seen.flatMap((message) => message.text.match(/RL-[0-9A-Z]{4}-[0-9A-Z]{4}/g) ?? [])),
      );
      expect(shownReferences.map((references) => references.size)).toEqual(outcomes.map(() => 1));
      const calmPeople = personas.length * 2;
      expect(reports).toHaveLength(outcomes.length + calmPeople);
      const urgentByReference = new Map(reports.map((row) => [row.reference, row.urgent === 1]));
      expect(outcomes.map((outcome, index) => urgentByReference.get([...shownReferences[index]!][0]!))).toEqual(
        outcomes.map((outcome) => outcome.persona.urgent),
      );
    } finally {
      await db.destroy();
    }
  }, 300_000);
});
