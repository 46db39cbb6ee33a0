import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformChatChannel } from '../../intake/chat/chat-channel.js';
import { ChatOutbox } from '../../intake/chat/chat-outbox.js';
import { ChatOutboxWorker } from '../../intake/chat/chat-outbox-worker.js';
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { conversationUserContext } from '../../intake/store/conversation-store.js';
import type { Database } from '../../intake/store/database.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { ReportFollowups } from '../../intake/store/report-followups.js';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from '../support/test-databases.js';

const cipher = new FieldCipher(randomBytes(32));

/**
 * A platform that takes every message after a short, uneven while, and remembers who got what, in what order.
 * With `overlap` (PostgreSQL, where the test checks that the work was shared), a worker's sends wait (up to 20 s)
 * until another worker has begun sending too, so the workers really claim side by side: without it, the worker
 * whose pool connects first may drain the outbox before the others' first claim (seen: 1 run in 3). The wait ends
 * as soon as another worker sends; 2 s was too short when other test files kept the machine busy.
 */
function recordingChannel(
  received: Array<{ recipient: string; text: string; worker: string }>,
  worker: string,
  overlap?: Set<string>,
) {
  return {
    delivery: 'outbox',
    channel: 'line',
    render: () => [],
    renderText: (text: string) => [{ kind: 'text', text }],
    send: async (recipient: string, message: { text?: unknown }) => {
      overlap?.add(worker);
      for (const waitUntil = Date.now() + 20_000; overlap && overlap.size < 2 && Date.now() < waitUntil;)
        await new Promise((resolve) => setTimeout(resolve, 5));
      received.push({ recipient, text: String(message.text), worker });
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
      return { status: 'delivered' as const };
    },
  } as unknown as PlatformChatChannel;
}

describe.each(testDatabaseKinds)('two chat outbox workers on one database (%s)', (kind) => {
  let database: TestDatabase;
  let second: Kysely<Database>;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    second = kind === 'postgres' ? openDatabase(database.location) : database.db;
  });
  afterAll(async () => {
    if (second !== database.db) await second.destroy();
    await database.dispose();
  });

  it('send every message once between them, each chat strictly in order', async () => {
    const chats = Array.from({ length: 15 }, (_, index) => ({ id: `line:scale-${index}`, recipient: `U${index}` }));
    const perChat = 8;
    const at = new Date().toISOString();
    const outboxOn = (db: Kysely<Database>) =>
      new ChatOutbox({ db, cipher, followups: new ReportFollowups({ db, cipher }) });
    const outbox = outboxOn(database.db);
    for (const chat of chats) {
      await database.db
        .insertInto('conversations')
        .values({
          id: chat.id,
          channel: 'line',
          channel_user_hash: cipher.blindIndex('scale-test', chat.recipient),
          channel_user_enc: cipher.encrypt(chat.recipient, conversationUserContext(chat.id)),
          state_enc: cipher.encryptJson({}, `conversation:${chat.id}:state`),
          version: 1,
          status: 'active',
          report_id: null,
          created_at: at,
          updated_at: at,
        })
        .execute();
      for (let n = 0; n < perChat; n += 1)
        await database.db.transaction().execute((trx) =>
          outbox.enqueue(trx, {
            conversationId: chat.id,
            channel: 'line',
            messages: [{ kind: 'text', text: `${chat.recipient}:${n}` } as never],
          }),
        );
    }
    const received: Array<{ recipient: string; text: string; worker: string }> = [];
    const overlap = kind === 'postgres' ? new Set<string>() : undefined;
    const workers = [database.db, second, database.db === second ? database.db : second].map(
      (db, index) =>
        new ChatOutboxWorker({
          outbox: outboxOn(db),
          channels: [recordingChannel(received, `worker-${index}`, overlap)],
          concurrency: 4,
          leaseMs: 30_000,
        }),
    );
    for (;;) {
      const sent = await Promise.all(workers.map((worker) => worker.runOnce()));
      if (sent.every((count) => count === 0)) break;
    }

    expect(received).toHaveLength(chats.length * perChat);
    expect(new Set(received.map((entry) => entry.text)).size).toBe(chats.length * perChat);
    for (const chat of chats) {
      const order = received.filter((entry) => entry.recipient === chat.recipient).map((entry) => entry.text);
      expect(order).toEqual(Array.from({ length: perChat }, (_, n) => `${chat.recipient}:${n}`));
    }
    const open = await database.db.selectFrom('chat_outbox').select('id').where('status', '!=', 'sent').execute();
    expect(open).toEqual([]);
    if (kind === 'postgres') expect(new Set(received.map((entry) => entry.worker)).size).toBeGreaterThan(1);
  });
});
