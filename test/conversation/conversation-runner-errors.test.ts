import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assembleIntake } from '../../app/assemble-intake.js';
import { assembleConversationRunner } from '../../app/assemble-conversations.js';
import type * as Engine from '../../intake/conversation/conversation-engine.js';
import type { ConversationOutput } from '../../intake/conversation/conversation-types.js';
import { createCaseRouter } from '../../intake/routing/case-router.js';
import { loadAgencyDirectory } from '../../intake/routing/load-agency-directory.js';
import { ConversationConflictError, ConversationStore } from '../../intake/store/conversation-store.js';
import { createWebChatChannel } from '../../portal/public/web-chat-channel.js';
import { testCipher } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

/**
 * While `engine.loops`, the engine asks for a status lookup after every answer: a runner must not go round for ever,
 * nor drop it.
 */
const engine = vi.hoisted(() => ({ loops: false }));
vi.mock('../../intake/conversation/conversation-engine.js', async (original) => {
  const real = await original<typeof Engine>();
  const lookup: ConversationOutput = {
    type: 'effect',
    effect: { kind: 'lookup_status', reference: 'RL-AAAA-BBBB', receiptCode: 'AAAA-BBBB-CCCC' },
  };
  return {
    ...real,
    advanceConversation: (...args: Parameters<typeof real.advanceConversation>) => {
      const turn = real.advanceConversation(...args);
      return engine.loops && args[1].type === 'status_result' ? { ...turn, outputs: [lookup] } : turn;
    },
    startConversation: (...args: Parameters<typeof real.startConversation>) => {
      const turn = real.startConversation(...args);
      return engine.loops ? { ...turn, outputs: [lookup] } : turn;
    },
  };
});

describe('what the conversation runner refuses to drop silently', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => database?.dispose());

  function runner() {
    const directory = loadAgencyDirectory();
    const intake = assembleIntake({
      db: database.db,
      cipher: testCipher(),
      router: createCaseRouter(directory),
      dataDir: database.filename!,
    });
    return { intake, runner: assembleConversationRunner({ intake, directory, i18n: testI18n }) };
  }

  it('throws conversation.effect_loop when the engine keeps asking for effects, and saves nothing', async () => {
    const { runner: looping } = runner();
    engine.loops = true;
    const error = await looping
      .handle(createWebChatChannel(testI18n), 'session-loop', { type: 'command', command: 'start' })
      .catch((caught: unknown) => caught);
    engine.loops = false;
    expect(error).toMatchObject({ code: 'conversation.effect_loop' });
    expect(await database.db.selectFrom('conversations').select('id').execute()).toEqual([]);
  });

  it('throws conversation.conflict_retries_exhausted when every save meets a newer version', async () => {
    const { runner: conflicted } = runner();
    const save = vi
      .spyOn(ConversationStore.prototype, 'save')
      .mockRejectedValue(new ConversationConflictError('the conversation changed meanwhile'));
    try {
      const error = await conflicted
        .recordShownMessages('telegram', 'nobody', ['1'])
        .then(() => undefined)
        .catch((caught: unknown) => caught);
      // Nobody to record for: nothing is saved, so nothing conflicts.
      expect(error).toBeUndefined();
      const turn = await conflicted
        .handle(createWebChatChannel(testI18n), 'session-conflict', { type: 'text', text: 'hello' })
        .catch((caught: unknown) => caught);
      expect(turn).toMatchObject({ code: 'conversation.conflict_retries_exhausted' });
      expect(save).toHaveBeenCalledTimes(6);
    } finally {
      save.mockRestore();
    }
  });
});
