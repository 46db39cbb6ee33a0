import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageOfScript } from '../../intake/i18n/script-language.js';
import { createLineHarness } from '../support/line-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-databases.js';
import { testI18n } from '../support/test-portal.js';

const say = (language: string) => testI18n.getFixedT(language, 'conversation');

/**
 * Someone whose app tells no language writes first: the welcome and the language list follow the script they
 * wrote in, as the runner does for LINE and Telegram alike (a Telegram account without language_code).
 */
describe('a first message with no language from the app', () => {
  let database: TestDatabase;
  let harness: Awaited<ReturnType<typeof createLineHarness>>;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    // A LINE profile without a language.
    harness = await createLineHarness(database);
    harness.api.addProfile(harness.userId, { displayName: 'ນາງ ແກ້ວ' });
  });
  afterAll(async () => {
    await harness?.close();
    await database?.dispose();
  });

  it('in Lao on LINE: welcomed in Lao, with Lao first in the language list', async () => {
    await harness.text('ຂ້ອຍຖືກກັກຕົວຢູ່ໃນຕຶກ ຊ່ວຍແດ່');
    expect(harness.shown()[0]).toContain(say('lo')('welcome'));
    const messages = harness.api.callsTo('/v2/bot/message/reply').at(-1)?.body?.messages as Array<{
      quickReply?: { items: Array<{ action: { label: string } }> };
    }>;
    expect(messages.at(-1)?.quickReply?.items[0]?.action.label).toBe('ລາວ');
  });

  it.each([
    ['ខ្ញុំត្រូវគេឃុំ', 'km'],
    ['ကျွန်တော့်ကို ပိတ်ထားတယ်', 'my'],
    ['ช่วยด้วย ถูกขังอยู่', 'th'],
    ['ساعدوني أنا محتجز', 'ar'],
    ['도와주세요 갇혀 있어요', 'ko'],
    ['助けてください、閉じ込められています', 'ja'],
    ['救命，我被关起来了', 'zh'],
  ])('reads %s as %s', (text, language) => {
    expect(languageOfScript(text)).toBe(language);
  });

  it('reads nothing from Latin script, digits, or a word of another script in a Latin message', () => {
    expect(languageOfScript('tolong saya')).toBeUndefined();
    expect(languageOfScript('+66 81 234 5678')).toBeUndefined();
    expect(languageOfScript('I work at the ສະໜາມບິນ casino, help me please')).toBeUndefined();
  });
});
