import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineEvent, telegramShown, telegramUpdate } from '../chat/chat-platforms.js';
import {
  buttonValue,
  comparable,
  hasReference,
  personDriver,
  type Persona,
  type PersonAction,
  type ShownMessage,
} from '../chat/chat-script.js';
import { chatOutboxMessageContext } from '../../intake/chat/chat-outbox.js';
import { parseDataKey } from '../../intake/crypto/data-key.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { conversationUserContext } from '../../intake/store/conversation-store.js';
import { startWebhookReceiver } from '../support/case-receivers.js';
import { startFakeLineApi, type DeliveredLineMessage } from '../support/fake-line-api.js';
import { startFakeTelegramApi } from '../support/fake-telegram-api.js';
import { completeReport } from '../support/fixtures.js';
import { lineSignature } from '../support/line-harness.js';
import { browserFor } from '../support/public-portal.js';
import { freePort, runEntryPoint, type RunningProcess } from '../support/spawn-process.js';

/**
 * Issue 17's "must show": three instances of app/server.ts on one fresh PostgreSQL schema behind a round-robin
 * proxy; 200 whole conversations (100 on Telegram by webhook, 100 on LINE by signed webhook, through the fakes
 * that refuse what the platforms refuse), API submits with idempotency keys retried after failures, web form
 * reports and a receipt-code guesser, all at once; one instance killed with SIGKILL in the middle and not
 * restarted (the two others take over its claims once their leases pass, as after a lost machine).
 */

const url = process.env.DATABASE_URL;
const telegramToken = '7000000027:AAmixed-load-token-0123456789';
const webhookSecret = 'mixed-load-secret-0123456789';
const lineToken = 'mixed-load-line-access-token-0123';
const lineSecret = '0123456789abcdef0123456789abcdef';
const agencySecret = 'whsec_e67KGuGbIxD3WdDFkQWOOT+BYVLNYIEEO8dBU5sgSQo=';
const peoplePerPlatform = 100;
const apiSubmits = 40;
const formReports = 6;
/** The status page's limit per browser (portal/public/status-page.tsx). */
const statusTriesPerBrowser = 20;
type Platform = 'telegram' | 'line';

/**
 * The people: short whole conversations (each ends when the reference is shown: the report is stored), so that
 * 200 of them fit the machine; in five languages, a person held, in danger, someone else's story, and on
 * Telegram the language of the account.
 */
const people: Persona[] = [
  {
    name: 'held-vi',
    language: 'vi',
    urgent: false,
    prefers: ['vi', 'held', 'me', 'KH', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['Họ giữ hộ chiếu của tôi ở Sihanoukville'],
  },
  {
    name: 'danger-km',
    language: 'km',
    urgent: false,
    prefers: ['km', 'danger', 'me', 'KH', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['ពួកគេវាយខ្ញុំ'],
  },
  {
    name: 'held-lo',
    language: 'lo',
    urgent: false,
    prefers: ['lo', 'held', 'someoneElse', 'LA', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['ນ້ອງສາວຂອງຂ້ອຍຖືກກັກຂັງ'],
  },
  {
    name: 'held-my',
    language: 'my',
    urgent: false,
    prefers: ['my', 'held', 'me', 'MM', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['သူတို့ ကျွန်ုပ်ကို ချုပ်ထားသည်'],
  },
  {
    name: 'danger-ar',
    language: 'ar',
    urgent: false,
    prefers: ['ar', 'danger', 'me', 'TH', 'yes', 'fake_job_compound', 'done', 'confirm'],
    typed: ['أخذوا جواز سفري'],
  },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * A round-robin reverse proxy on 127.0.0.1, as a deployment puts in front of its instances: each request goes to
 * the next instance. One that refuses the connection (killed) is skipped and the request tried on the next, as a
 * proxy's health check would; a request cut after it was sent is answered 502 and not sent again (a POST may
 * have taken effect: the client decides, with its idempotency key, or the platform, with its redelivery).
 */
async function startRoundRobinProxy(ports: () => number[]) {
  let next = 0;
  const forwarded = new Map<number, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const headers = Object.fromEntries(
          Object.entries(request.headers).filter(
            ([name]) => !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name),
          ),
        ) as Record<string, string>;
        for (let tries = 0; tries < 6; tries += 1) {
          const targets = ports();
          const port = targets[next++ % targets.length]!;
          try {
            const answer = await fetch(`http://127.0.0.1:${port}${request.url}`, {
              method: request.method,
              headers: { ...headers, 'x-forwarded-for': headers['x-forwarded-for'] ?? '127.0.0.1' },
              redirect: 'manual',
              ...(body.length > 0 ? { body } : {}),
            });
            const payload = Buffer.from(await answer.arrayBuffer());
            forwarded.set(port, (forwarded.get(port) ?? 0) + 1);
            const out: Record<string, string | string[]> = {};
            answer.headers.forEach((value, name) => {
              if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name))
                out[name] = value;
            });
            const cookies = answer.headers.getSetCookie();
            if (cookies.length > 0) out['set-cookie'] = cookies;
            response.writeHead(answer.status, out);
            response.end(payload);
            return;
          } catch (error) {
            const code = (error as { cause?: { code?: string } }).cause?.code;
            // Refused: the instance is gone; the next one. Cut after sending: the client's to decide.
            if (code !== 'ECONNREFUSED') break;
          }
        }
        response.writeHead(502);
        response.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What each person saw, indexed as the fakes take messages (the fakes' lists hold every message of every person:
 * filtering them for each look would cost more than the load itself).
 */
function seenIndex(
  telegram: Awaited<ReturnType<typeof startFakeTelegramApi>>,
  line: Awaited<ReturnType<typeof startFakeLineApi>>,
  lineUserOfToken: Map<string, string>,
) {
  const byPerson = new Map<string, ShownMessage[]>();
  let telegramCursor = 0;
  let lineCallCursor = 0;
  let lineCursor = 0;
  const replyTokenOf = new Map<unknown, string>();
  const add = (key: string, message: ShownMessage) => {
    const list = byPerson.get(key) ?? [];
    list.push(message);
    byPerson.set(key, list);
  };
  const lineButtons = (message: DeliveredLineMessage['message']) => {
    const found: ShownMessage['buttons'] = [];
    const visit = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        if (record.type === 'postback' && typeof record.data === 'string')
          found.push({ label: String(record.label ?? record.displayText ?? ''), data: record.data });
        Object.values(record).forEach(visit);
      }
    };
    visit(message);
    return found;
  };
  return {
    refresh() {
      const fresh = telegram.delivered.slice(telegramCursor);
      telegramCursor += fresh.length;
      for (const chatId of new Set(fresh.map((message) => message.chatId)))
        for (const message of telegramShown(fresh, chatId)) add(`telegram:${chatId}`, message);
      for (; lineCallCursor < line.calls.length; lineCallCursor += 1) {
        const call = line.calls[lineCallCursor]!;
        if (call.path !== '/v2/bot/message/reply') continue;
        for (const message of (call.body?.messages as unknown[] | undefined) ?? [])
          replyTokenOf.set(message, String(call.body?.replyToken));
      }
      for (; lineCursor < line.delivered.length; lineCursor += 1) {
        const item = line.delivered[lineCursor]!;
        const token = replyTokenOf.get(item.message);
        const to = item.via === 'push' ? item.to : token === undefined ? undefined : lineUserOfToken.get(token);
        add(`line:${to ?? 'unknown'}`, {
          text: item.message.text ?? item.message.altText ?? '',
          buttons: lineButtons(item.message),
        });
      }
    },
    of: (platform: Platform, who: string) => byPerson.get(`${platform}:${who}`) ?? [],
  };
}

/** The most messages one send carries: a LINE reply or push holds up to five. */
const messagesPerSend = 5;

/**
 * Messages shown again right after themselves kept once, and how many such repeats there were: one message (a
 * Telegram send) or a run of up to five (a LINE reply sent again as a push), when an instance was killed after the
 * platform took them and before it recorded so. Added after CI saw a LINE turn of two messages repeated whole.
 */
function withoutRepeats(shown: ShownMessage[]): { shown: ShownMessage[]; repeats: number; runs: string[][] } {
  const kept: ShownMessage[] = [];
  const runs: string[][] = [];
  let repeats = 0;
  for (let index = 0; index < shown.length;) {
    const run = [...Array(Math.min(messagesPerSend, kept.length)).keys()]
      .map((offset) => Math.min(messagesPerSend, kept.length) - offset)
      .find(
        (length) =>
          index + length <= shown.length &&
          kept.slice(-length).every((message, at) => message.text === shown[index + at]!.text),
      );
    if (run) {
      runs.push(shown.slice(index, index + run).map((message) => message.text));
      index += run;
      repeats += run;
    } else kept.push(shown[index++]!);
  }
  return { shown: kept, repeats, runs };
}

interface Script {
  actions: PersonAction[];
  seenAfter: number[];
  texts: string[];
}

describe.skipIf(!url)('mixed load on three instances behind a round-robin proxy, one killed', () => {
  const folder = mkdtempSync(join(tmpdir(), 'reportline-mixed-'));
  const schema = `mixed_${randomBytes(6).toString('hex')}`;
  const schemaUrl = `${url}${(url ?? '').includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const admin = new pg.Client({ connectionString: url });
  const dataKey = randomBytes(32).toString('base64');
  let telegram: Awaited<ReturnType<typeof startFakeTelegramApi>>;
  let line: Awaited<ReturnType<typeof startFakeLineApi>>;
  let agency: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
  const instances: Array<{ process: RunningProcess; port: number; alive: boolean }> = [];
  const query = async <T extends Record<string, unknown>>(text: string) =>
    (await admin.query<T>(text.replaceAll('§', `${schema}.`))).rows;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    telegram = await startFakeTelegramApi(telegramToken);
    line = await startFakeLineApi(lineToken);
    agency = await startWebhookReceiver(agencySecret);
    // Every police the people's countries route to takes cases by webhook, at the test's receiver.
    const directoryFile = join(folder, 'deployment.json');
    writeFileSync(
      directoryFile,
      JSON.stringify({
        agencies: ['kh-cnp', 'la-police', 'mm-police', 'th-rtp', 'vn-mps', 'kr-knpa'].map((id) => ({
          id,
          delivery: { webhook: { url: agency.url, secretEnv: 'AGENCY_WEBHOOK_SECRET' } },
        })),
      }),
    );
    proxy = await startRoundRobinProxy(() =>
      instances.filter((instance) => instance.alive).map((instance) => instance.port),
    );
    const start = async () => {
      const port = await freePort();
      const process = runEntryPoint('app/server.ts', [], {
        // One data folder for all, on shared storage as the README's deployment says (on PostgreSQL it holds only
        // evidence/): a file one instance stored is there for the others.
        REPORTLINE_DATA_DIR: join(folder, 'shared-data'),
        DATABASE_URL: schemaUrl,
        REPORTLINE_DATA_KEY: dataKey,
        PORT: String(port),
        HOST: '127.0.0.1',
        TELEGRAM_BOT_TOKEN: telegramToken,
        TELEGRAM_WEBHOOK_SECRET: webhookSecret,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        LINE_CHANNEL_ACCESS_TOKEN: lineToken,
        LINE_CHANNEL_SECRET: lineSecret,
        LINE_API_BASE_URL: line.baseUrl,
        LINE_DATA_API_BASE_URL: line.baseUrl,
        REPORTLINE_DIRECTORY_FILE: directoryFile,
        AGENCY_WEBHOOK_SECRET: agencySecret,
        DELIVERY_POLL_SECONDS: '1',
        // Short leases: what the killed instance held passes to the others within seconds.
        LINE_EVENT_LEASE_SECONDS: '3',
        // The chat outbox's lease is the product's default (10 s, renewed every third of it), not 3 s: on CI's two
        // cores this test's own load holds a live sender's heartbeat or its outcome write up for more than a second,
        // and a sender whose lease passes after Telegram took a message and before it recorded so shows that message
        // twice (the Bot API takes no idempotency key; docs/DESIGN.md, "Conversations"). That window is not what this
        // test is about: a lost instance is. With 3 s, CI saw a live sender's welcome twice, 21 s before the kill.
        CHAT_OUTBOX_LEASE_SECONDS: '10',
        REPORTLINE_TRUST_PROXY: 'true',
        REPORTLINE_PUBLIC_WRITES_PER_HOUR: '1000',
      });
      return { process, port, alive: true };
    };
    instances.push(...(await Promise.all([0, 1, 2].map(() => start()))));
    await Promise.all(instances.map((instance) => instance.process.waitForOutput(/Reportline is serving/, 90_000)));
  }, 120_000);

  afterAll(async () => {
    for (const instance of instances) if (instance.alive) instance.process.child.kill('SIGTERM');
    await Promise.all(instances.map((instance) => instance.process.exited));
    await Promise.all([telegram?.close(), line?.close(), agency?.close(), proxy?.close()]);
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('every person sees every turn in order, every report is stored once, every delivery acknowledged, nothing stuck, limits held', async () => {
    const lineUserOfToken = new Map<string, string>();
    const seen = seenIndex(telegram, line, lineUserOfToken);
    const ticker = setInterval(() => seen.refresh(), 50);
    let updateId = 0;
    let kills = 0;
    let killed: (typeof instances)[number] | undefined;
    const deliveries = { webhookAnswers: new Map<string, number>() };
    const count = (key: string) => deliveries.webhookAnswers.set(key, (deliveries.webhookAnswers.get(key) ?? 0) + 1);

    /** Posts until answered 200, as a platform redelivers a webhook it got no answer to. */
    async function deliver(path: string, headers: (body: string) => Record<string, string>, body: () => string) {
      for (let attempt = 0; ; attempt += 1) {
        const payload = body();
        let status = 'no answer';
        try {
          const response = await fetch(`${proxy.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers(payload) },
            body: payload,
          });
          await response.arrayBuffer();
          status = String(response.status);
        } catch {
          // The proxy itself is always up; a cut answer counts as none.
        }
        count(`${path} ${status}`);
        if (status === '200') return;
        if (attempt > 100) throw new Error(`${path} never answered 200`);
        await sleep(200);
      }
    }

    async function act(platform: Platform, who: string, persona: Persona, action: PersonAction) {
      const shown = withoutRepeats(seen.of(platform, who)).shown;
      const n = (updateId += 1);
      if (platform === 'telegram') {
        const person = { chatId: Number(who), language: persona.language, name: persona.name };
        const body = JSON.stringify(telegramUpdate(n, person, action, shown));
        return deliver(
          '/webhooks/telegram',
          () => ({ 'x-telegram-bot-api-secret-token': webhookSecret }),
          () => body,
        );
      }
      const ids = { eventId: `01HMIXED${String(n).padStart(18, '0')}`, replyToken: `mixed-${n}`, messageId: String(n) };
      lineUserOfToken.set(ids.replyToken, who);
      const event = lineEvent(ids, who, action, shown);
      let sent = 0;
      const body = () =>
        JSON.stringify({
          destination: 'Ubot0000000000000000000000000000',
          events: [{ ...event, deliveryContext: { isRedelivery: (sent += 1) > 1 } }],
        });
      return deliver('/webhooks/line', (payload) => ({ 'x-line-signature': lineSignature(payload, lineSecret) }), body);
    }

    /** Whether nothing of any turn is on its way: every webhook event handled and every answer sent. */
    async function turnsSettled(): Promise<boolean> {
      const [open] = await query<{ n: string }>(`
        select (select count(*) from §inbound_events where processed_at is null)
             + (select count(*) from §chat_outbox where status = 'pending') as n`);
      return Number(open!.n) === 0;
    }

    /**
     * One persona's conversation once, to learn what a whole one shows. A turn is over when its event is handled and
     * its answers are sent (only the learners talk now), not when nothing more came for a while: on a loaded machine
     * a turn's next message could come later than any such wait, and the learned conversation was cut short (its
     * last message missing) or the learner answered before the question came (a question asked twice).
     */
    async function learn(platform: Platform, who: string, persona: Persona): Promise<Script> {
      const driver = personDriver(persona);
      const script: Script = { actions: [], seenAfter: [], texts: [] };
      for (;;) {
        const action = driver.next(seen.of(platform, who));
        if (!action) break;
        await act(platform, who, persona, action);
        await waitFor(turnsSettled, 60_000, `${persona.name} answered`);
        seen.refresh();
        script.actions.push(action);
        script.seenAfter.push(seen.of(platform, who).length);
      }
      script.texts = seen.of(platform, who).map((message) => comparable(message.text));
      return script;
    }

    const learnStarted = Date.now();
    const scripts = new Map<string, Script>();
    await Promise.all(
      (['telegram', 'line'] as const).flatMap((platform) =>
        people.map(async (persona, index) => {
          const who = platform === 'telegram' ? String(9_100_000 + index) : `U${'e'.repeat(31)}${index}`;
          scripts.set(`${platform}:${persona.name}`, await learn(platform, who, persona));
        }),
      ),
    );
    for (const script of scripts.values()) {
      expect(script.texts.some(hasReference)).toBe(true);
      expect(withoutRepeats(script.texts.map((text) => ({ text, buttons: [] }))).repeats).toBe(0);
    }
    const learnedReports = scripts.size;

    interface Outcome {
      platform: Platform;
      who: string;
      persona: Persona;
      script: Script;
      midTurnAtKill: boolean;
      stalledAt?: number;
    }
    const outcomes: Outcome[] = (['telegram', 'line'] as const).flatMap((platform) =>
      Array.from({ length: peoplePerPlatform }, (_, index) => {
        const persona = people[index % people.length]!;
        return {
          platform,
          who: platform === 'telegram' ? String(7_200_000 + index) : `U${index.toString(16).padStart(32, 'a')}`,
          persona,
          script: scripts.get(`${platform}:${persona.name}`)!,
          midTurnAtKill: false,
        };
      }),
    );
    const totalTurns = outcomes.reduce((sum, outcome) => sum + outcome.script.actions.length, 0);
    const midTurn = new Set<Outcome>();
    let turnsBegun = 0;
    let killing: Promise<void> | undefined;
    /** When the kill was sent (the fakes' clock): a repeat whose copies both came before it was not in flight at it. */
    let killedAt = Number.NaN;
    /** The kill: once 40% of all turns have begun, an instance goes, whatever it holds; it is not restarted. */
    const maybeKill = () => {
      turnsBegun += 1;
      if (killing || turnsBegun < totalTurns * 0.4) return;
      for (const outcome of midTurn) outcome.midTurnAtKill = true;
      killing = (async () => {
        // Read just before the kill and again once it is gone: what the killed instance held, whenever its exit is
        // seen (on a loaded machine late enough for the others to have taken and sent its messages).
        await noteInFlight();
        killed = instances[1]!;
        killed.process.child.kill('SIGKILL');
        killedAt = performance.now();
        killed.alive = false;
        kills += 1;
        await killed.process.exited;
        await noteInFlight();
      })();
    };

    /**
     * What was on its way at the kill: every chat message a sender had claimed and not yet recorded (the killed
     * instance's among them, as it died holding them), by person, as the texts it shows. Only these may be shown
     * twice: the killed instance may have had one taken by the platform and died before recording it (the Bot API
     * takes no idempotency key). Anything else shown twice is a finding.
     */
    const inFlightAtKill = new Map<string, string[][]>();
    const noted = new Set<string>();
    async function noteInFlight() {
      const cipher = new FieldCipher(parseDataKey(dataKey));
      const rows = await query<{ id: string; channel: string; message_enc: string; cid: string; user_enc: string }>(`
        select o.id, o.channel, o.message_enc, c.id as cid, c.channel_user_enc as user_enc
          from §chat_outbox o join §conversations c on c.id = o.conversation_id
         where o.status = 'pending' and o.lease_until is not null`);
      for (const row of rows) {
        if (noted.has(row.id)) continue;
        noted.add(row.id);
        const who = `${row.channel}:${cipher.decrypt(row.user_enc, conversationUserContext(row.cid))}`;
        const message = cipher.decryptJson<{ text?: string; messages?: Array<{ text?: string; altText?: string }> }>(
          row.message_enc,
          chatOutboxMessageContext(row.id),
        );
        const texts = message.messages
          ? message.messages.map((each) => each.text ?? each.altText ?? '')
          : message.text === undefined
            ? []
            : [message.text];
        inFlightAtKill.set(who, [...(inFlightAtKill.get(who) ?? []), texts]);
      }
    }
    /** Whether every repeated run a person saw is one of their messages in flight at the kill, each once. */
    const repeatsWereInFlight = (platform: Platform, who: string, runs: string[][]) => {
      const left = [...(inFlightAtKill.get(`${platform}:${who}`) ?? [])];
      return runs.every((run) => {
        const at = left.findIndex((texts) => JSON.stringify(texts) === JSON.stringify(run));
        if (at < 0) return false;
        left.splice(at, 1);
        return true;
      });
    };

    async function converse(outcome: Outcome) {
      const { platform, who, persona, script } = outcome;
      for (const [turn, action] of script.actions.entries()) {
        const hasButton = () =>
          action.kind !== 'press' ||
          (withoutRepeats(seen.of(platform, who)).shown.at(-1)?.buttons ?? []).some(
            (b) => buttonValue(b.data) === action.value,
          );
        // A message sent again after the kill may still be arriving (the rest of its run not yet here): wait for it.
        try {
          await waitFor(hasButton, 20_000, 'the button to press');
        } catch {
          outcome.stalledAt = turn;
          return;
        }
        midTurn.add(outcome);
        maybeKill();
        await act(platform, who, persona, action);
        try {
          await waitFor(
            () => withoutRepeats(seen.of(platform, who)).shown.length >= script.seenAfter[turn]!,
            // Generous: at the start 200 first turns arrive at once on a shared 2-core machine; a person waits in line.
            90_000,
            'the turn',
          );
        } catch {
          outcome.stalledAt = turn;
          return;
        } finally {
          midTurn.delete(outcome);
        }
      }
    }

    /** API clients: each report once with its key, sent again when the answer was lost or refused. */
    const apiResults: Array<{ key: string; references: string[]; tries: number; replayed: number }> = [];
    async function apiClient(index: number) {
      const key = `mixed-load-${index}-${randomBytes(4).toString('hex')}`;
      const body = JSON.stringify(completeReport());
      const result = { key, references: [] as string[], tries: 0, replayed: 0 };
      apiResults.push(result);
      // Every third client never saw its first answer (a cut connection) and sends the same request again.
      const sends = index % 3 === 0 ? 2 : 1;
      for (let sent = 0; sent < sends;) {
        result.tries += 1;
        const response = await fetch(`${proxy.url}/api/v1/reports`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': key,
            'x-forwarded-for': `198.51.100.${(index % 200) + 1}`,
          },
          body,
        }).catch(() => undefined);
        if (!response || response.status >= 500) {
          await sleep(300);
          continue;
        }
        expect(response.status).toBe(201);
        if (response.headers.get('idempotent-replayed') === 'true') result.replayed += 1;
        result.references.push(((await response.json()) as { reference: string }).reference);
        sent += 1;
      }
    }

    /** A person filling the web form, each step a request to whichever instance the proxy picks. */
    const formReferences: string[] = [];
    async function formReporter(index: number) {
      const client = `203.0.113.${index + 10}`;
      const viaProxy = {
        // A page cut by the kill (502) is sent again, as a person presses again: each step is saved once whatever
        // the tries (added after a form reporter whose step was cut lost its report in a run).
        request: async (path: string, init: RequestInit = {}) => {
          for (let attempt = 1; ; attempt += 1) {
            const response = await fetch(`${proxy.url}${path}`, {
              ...init,
              redirect: 'manual',
              headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': client },
            });
            if (response.status !== 502 || attempt === 3) return response;
            await response.arrayBuffer();
            await sleep(300);
          }
        },
      } as unknown as Parameters<typeof browserFor>[0];
      const reporter = browserFor(viaProxy, 'en');
      let page = await reporter.open('/report/safety');
      page = await reporter.submit(page, '/report/safety', {
        action: 'next',
        'safety.inImmediateDanger': 'yes',
        'safety.heldAgainstWill': 'yes',
        'victim.currentCountry': 'KH',
      });
      page = await reporter.submit(page, '/report/incident', {
        action: 'next',
        reporterRole: 'victim',
        'incident.category': 'fake_job_compound',
        'incident.narrative': `They took my passport in a compound near Sihanoukville (${index}).`,
      });
      for (const step of ['money', 'contacts', 'evidence'])
        page = await reporter.submit(page, `/report/${step}`, { action: 'next' });
      page = await reporter.submit(page, '/report/about', { action: 'next', 'consent.shareWithLawEnforcement': 'yes' });
      const done = await reporter.submit(page, '/report/submit', {});
      const reference = /RL-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.html)?.[0];
      if (reference) formReferences.push(reference);
    }

    /** A guesser of receipt codes from one browser, each try reaching whichever instance is next. */
    async function guesser(reference: string) {
      let cookie = '';
      const statuses: number[] = [];
      // Until refused five times (a try cut by the kill, answered 502 by the proxy, may or may not have counted).
      for (
        let i = 0;
        statuses.filter((status) => status === 429).length < 5 && i < statusTriesPerBrowser + 10;
        i += 1
      ) {
        const headers = { cookie, 'x-forwarded-for': '192.0.2.77' };
        const page = await fetch(`${proxy.url}/status`, { headers });
        // The page itself cut by the kill: shown again, as a person reloads.
        if (page.status !== 200) continue;
        const set = page.headers.getSetCookie().map((each) => each.split(';')[0]!);
        if (set.length > 0) cookie = set.join('; ');
        const form = new FormData();
        form.append('token', /name="token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '');
        form.append('intent', 'check');
        form.append('reference', reference);
        form.append('code', `AAAA-BBBB-${1000 + i}`);
        const answer = await fetch(`${proxy.url}/status`, {
          method: 'POST',
          body: form,
          headers: { ...headers, cookie },
        });
        await answer.arrayBuffer();
        statuses.push(answer.status);
      }
      return statuses;
    }

    const started = Date.now();
    const [, , , guesses] = await Promise.all([
      Promise.all(outcomes.map((outcome, index) => sleep((index % 50) * 40).then(() => converse(outcome)))),
      Promise.all(Array.from({ length: apiSubmits }, (_, index) => sleep(index * 150).then(() => apiClient(index)))),
      Promise.all(
        Array.from({ length: formReports }, (_, index) => sleep(index * 700).then(() => formReporter(index))),
      ),
      sleep(1_000).then(async () => {
        const [reference] = await query<{ reference: string }>(`select reference from §reports limit 1`);
        return guesser(reference!.reference);
      }),
    ]);
    await killing;
    const loadMs = Date.now() - started;
    console.info(JSON.stringify({ learnMs: started - learnStarted, loadMs, turns: totalTurns }));
    expect(kills).toBe(1);

    // Nothing stuck: every webhook event handled, every answer sent, every delivery settled.
    let stillOpen = '';
    await waitFor(
      async () => {
        const [open] = await query<{ events: string; outbox: string; deliveries: string }>(`
          select (select count(*) from §inbound_events where processed_at is null) as events,
                 (select count(*) from §chat_outbox where status = 'pending') as outbox,
                 (select count(*) from §deliveries where status = 'pending') as deliveries`);
        stillOpen = JSON.stringify(open);
        return Number(open!.events) + Number(open!.outbox) + Number(open!.deliveries) === 0;
      },
      30_000,
      'every event, answer and delivery settled',
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}: still open ${stillOpen}`);
    });
    seen.refresh();
    clearInterval(ticker);

    // Every person saw every message of every turn, in order, as the learned conversation showed it; a message
    // shown twice in a row only when it was that person's message in flight at the kill (the killed instance may
    // have sent it and not yet recorded it: the Bot API takes no idempotency key), once, and counted. (Until now
    // any repeat was taken from anyone mid-turn at the kill, in any turn; a LINE reply is no longer repeated.)
    const findings = outcomes.flatMap((outcome) => {
      const all = seen.of(outcome.platform, outcome.who);
      const { shown, repeats, runs } = withoutRepeats(all);
      const texts = shown.map((message) => comparable(message.text));
      const same = JSON.stringify(texts) === JSON.stringify(outcome.script.texts);
      if (same && repeatsWereInFlight(outcome.platform, outcome.who, runs)) return [];
      return [
        {
          who: `${outcome.platform}:${outcome.persona.name}:${outcome.who}`,
          stalledAt: outcome.stalledAt,
          expected: outcome.script.texts.length,
          seen: texts.length,
          repeats,
          midTurnAtKill: outcome.midTurnAtKill,
          inFlightAtKill: inFlightAtKill.get(`${outcome.platform}:${outcome.who}`)?.length ?? 0,
          firstDifference: outcome.script.texts.findIndex((text, index) => texts[index] !== text),
          // On Telegram, when each copy of a repeat reached the Bot API, in ms from the kill.
          repeatedAtFromKill:
            outcome.platform === 'telegram'
              ? telegram.delivered
                  .filter((message) => message.chatId === Number(outcome.who))
                  .flatMap((message, index, all) =>
                    index > 0 && all[index - 1]!.text === message.text
                      ? [[all[index - 1]!.at, message.at].map((at) => Math.round(at - killedAt))]
                      : [],
                  )
              : undefined,
        },
      ];
    });
    if (findings.length > 0)
      console.info(
        JSON.stringify({
          outbox: await query(
            `select channel, status, last_error, count(*) as n from §chat_outbox group by channel, status, last_error`,
          ),
          events: await query(
            `select channel, attempts, last_error, count(*) as n from §inbound_events group by channel, attempts, last_error`,
          ),
          unknownLine: seen.of('line', 'unknown').length,
          linePaths: Object.entries(
            line.calls.reduce<Record<string, number>>(
              (all, call) => ({ ...all, [call.path]: (all[call.path] ?? 0) + 1 }),
              {},
            ),
          ),
          firstFinding: findings[0],
          itsTexts: seen
            .of(findings[0]!.who.split(':')[0] as Platform, findings[0]!.who.split(':')[2]!)
            .map((m) => m.text.slice(0, 40)),
        }),
      );
    expect(findings).toEqual([]);
    const repeatedAfterKill = outcomes.reduce(
      (sum, outcome) => sum + withoutRepeats(seen.of(outcome.platform, outcome.who)).repeats,
      0,
    );
    expect(seen.of('line', 'unknown')).toEqual([]);

    // Every report stored once: one per conversation (and per learned one), per API key, per form.
    const shownReferences = outcomes.map(
      (outcome) =>
        new Set(
          seen
            .of(outcome.platform, outcome.who)
            .flatMap((message) => message.text.match(/RL-[0-9A-Z]{4}-[0-9A-Z]{4}/g) ?? []),
        ),
    );
    expect(shownReferences.map((references) => references.size)).toEqual(outcomes.map(() => 1));
    expect(formReferences).toHaveLength(formReports);
    for (const result of apiResults) {
      expect(new Set(result.references).size, result.key).toBe(1);
      expect(result.references.length - result.replayed, result.key).toBe(1);
    }
    const [reports] = await query<{ n: string }>(`select count(*) as n from §reports`);
    expect(Number(reports!.n)).toBe(outcomes.length + learnedReports + apiSubmits + formReports);
    const keys = await query<{ key: string; n: string }>(
      `select key, count(*) as n from §idempotency_keys where scope = 'api:reports' group by key`,
    );
    expect(keys.map((row) => row.key).sort()).toEqual(apiResults.map((result) => result.key).sort());
    expect(keys.filter((row) => Number(row.n) !== 1)).toEqual([]);
    const apiReferences = new Set(apiResults.map((result) => result.references[0]));
    expect(apiReferences.size).toBe(apiSubmits);

    // Every agency delivery acknowledged once by the receiver, which counts event ids (the deliveries' ids).
    const rows = await query<{ id: string; method: string; status: string }>(
      `select id, method, status from §deliveries`,
    );
    // Reports go to the police of their country when the reporter agreed (API and form reports always do).
    expect(rows.length).toBeGreaterThan(apiSubmits);
    expect(rows.filter((row) => row.status !== 'delivered')).toEqual([]);
    const acknowledged = agency.accepted.map((hit) => hit.eventId);
    const twice = acknowledged.length - new Set(acknowledged).size;
    expect(new Set(acknowledged)).toEqual(new Set(rows.map((row) => row.id)));

    // Nothing stuck: every conversation that showed its reference holds its report; every web draft was sent.
    const [open] = await query<{ conversations: string; drafts: string }>(`
      select (select count(*) from §conversations where report_id is null) as conversations,
             (select count(*) from §report_drafts where status <> 'submitted') as drafts`);
    expect(Number(open!.conversations)).toBe(0);
    expect(Number(open!.drafts)).toBe(0);

    // The status limit held across the instances: twenty wrong codes checked in all, then refused.
    // Never more than twenty checked (400: a wrong code), fewer only by tries cut by the kill; once refused, refused.
    const checked = guesses.filter((status) => status === 400).length;
    const cut = guesses.filter((status) => status === 502).length;
    expect(checked).toBeLessThanOrEqual(statusTriesPerBrowser);
    expect(checked + cut).toBeGreaterThanOrEqual(statusTriesPerBrowser);
    expect(guesses.slice(guesses.indexOf(429))).toEqual([429, 429, 429, 429, 429]);
    expect(guesses.filter((status) => ![400, 429, 502].includes(status))).toEqual([]);

    console.info(
      JSON.stringify({
        loadMs,
        conversations: outcomes.length,
        turns: totalTurns,
        apiTries: apiResults.reduce((sum, result) => sum + result.tries, 0),
        repeatedAfterKill,
        guesses: guesses.join(' '),
        deliveriesAcknowledgedTwice: twice,
        webhookAnswers: Object.fromEntries(deliveries.webhookAnswers),
        forwardedPerPort: Object.fromEntries(proxy.forwarded),
      }),
    );
  }, 300_000);

  it('takes a report naming evidence another instance stored (one shared data folder)', async () => {
    const [first, , third] = instances;
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(256)]);
    const upload = await fetch(`http://127.0.0.1:${first!.port}/api/v1/evidence?fileName=screenshot.png`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: png,
    });
    expect(upload.status).toBe(201);
    const stored = (await upload.json()) as { sha256: string; size: number };
    expect(stored.size).toBe(png.length);
    // Another instance checks the file is held before it stores the report that names it.
    const report = await fetch(`http://127.0.0.1:${third!.port}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...completeReport(), evidence: [stored] }),
    });
    expect(report.status).toBe(201);
    // A file nobody uploaded is refused the same way by any instance: the check is real.
    const unknown = await fetch(`http://127.0.0.1:${third!.port}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...completeReport(), evidence: [{ ...stored, sha256: 'f'.repeat(64) }] }),
    });
    expect(unknown.status).toBe(400);
  });
});
