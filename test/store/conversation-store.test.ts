import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationConflictError, ConversationStore } from '../../intake/store/conversation-store.js';
import { ReportStore } from '../../intake/store/report-store.js';
import { minimalReport, testCipher } from '../support/fixtures.js';
import {
  createTestDatabase,
  testDatabaseKinds,
  warnIfPostgresSkipped,
  type TestDatabase,
} from '../support/test-databases.js';

warnIfPostgresSkipped();

describe.each(testDatabaseKinds)('conversation state on %s', (kind) => {
  let database: TestDatabase;
  let store: ConversationStore;
  const cipher = testCipher();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = new ConversationStore({ db: database.db, cipher });
  });
  afterAll(async () => database?.dispose());

  it('saves every step and gives it back, encrypted at rest', async () => {
    expect(await store.load('telegram', '5551001')).toBeUndefined();
    expect(
      await store.save('telegram', '5551001', {
        state: { step: 'language', draft: { narrative: '돈을 보냈어요' } },
        expectedVersion: undefined,
        updateKey: '1',
      }),
    ).toBe(true);
    const first = await store.load('telegram', '5551001');
    expect(first).toMatchObject({
      channel: 'telegram',
      channelUserId: '5551001',
      version: 1,
      status: 'active',
      state: { step: 'language' },
    });
    await store.save('telegram', '5551001', {
      state: { step: 'safety' },
      expectedVersion: 1,
      existingId: first!.id,
      updateKey: '2',
    });
    expect((await store.load('telegram', '5551001'))?.state).toEqual({ step: 'safety' });
    const raw = JSON.stringify(await database.db.selectFrom('conversations').selectAll().execute());
    expect(raw).not.toContain('5551001');
    expect(raw).not.toContain('safety');
  });

  it('changes nothing for an update it has already processed', async () => {
    await store.save('line', 'U123', { state: { step: 'a' }, expectedVersion: undefined, updateKey: 'evt-1' });
    const loaded = await store.load('line', 'U123');
    expect(
      await store.save('line', 'U123', {
        state: { step: 'b' },
        expectedVersion: loaded!.version,
        existingId: loaded!.id,
        updateKey: 'evt-1',
      }),
    ).toBe(false);
    expect((await store.load('line', 'U123'))?.state).toEqual({ step: 'a' });
    expect(await store.isProcessed('line', 'evt-1')).toBe(true);
  });

  it('refuses to overwrite a step saved meanwhile by another update', async () => {
    await store.save('telegram', '777', { state: { n: 1 }, expectedVersion: undefined });
    const loaded = await store.load('telegram', '777');
    await store.save('telegram', '777', { state: { n: 2 }, expectedVersion: loaded!.version, existingId: loaded!.id });
    await expect(
      store.save('telegram', '777', { state: { n: 3 }, expectedVersion: loaded!.version, existingId: loaded!.id }),
    ).rejects.toBeInstanceOf(ConversationConflictError);
    expect((await store.load('telegram', '777'))?.state).toEqual({ n: 2 });
  });

  it('finds the chat of the person behind a report, and remembers a blocked bot', async () => {
    const reports = new ReportStore({ db: database.db, cipher });
    const { reportId } = await reports.submitReport(minimalReport(), { actor: 'test' });
    await store.save('telegram', '4242', { state: {}, expectedVersion: undefined, reportId });
    expect(await store.channelAddressOfReport(reportId)).toEqual({
      conversationId: (await store.load('telegram', '4242'))!.id,
      channel: 'telegram',
      channelUserId: '4242',
      status: 'active',
    });
    await store.markStopped('telegram', '4242');
    expect((await store.load('telegram', '4242'))?.status).toBe('stopped');
  });
  it('writes what a turn adds in its transaction with the state and the update key, or none of them', async () => {
    const failing = store.save('line', 'U-atomic', {
      state: { step: 'first' },
      expectedVersion: undefined,
      updateKey: 'evt-atomic',
      alsoInTransaction: async (trx, conversationId) => {
        await trx.updateTable('conversations').set({ outbox_seq: 1 }).where('id', '=', conversationId).execute();
        throw new Error('the outbox could not be written');
      },
    });
    await expect(failing).rejects.toThrow('the outbox could not be written');
    expect(await store.load('line', 'U-atomic')).toBeUndefined();
    expect(await store.isProcessed('line', 'evt-atomic')).toBe(false);

    let seen: string | undefined;
    await store.save('line', 'U-atomic', {
      state: { step: 'first' },
      expectedVersion: undefined,
      updateKey: 'evt-atomic',
      alsoInTransaction: async (_trx, conversationId) => {
        seen = conversationId;
      },
    });
    expect(seen).toBe((await store.load('line', 'U-atomic'))?.id);
    expect(await store.isProcessed('line', 'evt-atomic')).toBe(true);
  });
});
