import type { LineBot } from '../bots/line/line-bot.js';
import type { TelegramBot } from '../bots/telegram/telegram-bot.js';
import { ReporterMessenger, type ChatSender } from '../intake/cases/reporter-messenger.js';
import type { Channel } from '../intake/report/report-schema.js';
import { ConversationStore } from '../intake/store/conversation-store.js';
import type { Intake } from './assemble-intake.js';

/**
 * How staff and agencies reach a reporter: their status page always, and the
 * chat they reported through when that bot runs here and they agreed to be
 * contacted.
 */
export function assembleMessenger(parts: {
  intake: Intake;
  telegram?: Pick<TelegramBot, 'sendText'> | undefined;
  line?: Pick<LineBot, 'sendText'> | undefined;
}): ReporterMessenger {
  const { intake, telegram, line } = parts;
  const channels: Channel[] = [...(telegram ? (['telegram'] as const) : []), ...(line ? (['line'] as const) : [])];
  const send: ChatSender = async (channel, channelUserId, text) => {
    if (channel === 'telegram' && telegram) return telegram.sendText(channelUserId, text);
    if (channel === 'line' && line) return line.sendText(channelUserId, text);
    throw new Error(`no ${channel} bot runs here`);
  };
  return new ReporterMessenger({
    followups: intake.followups,
    conversations: new ConversationStore({ db: intake.db, cipher: intake.cipher }),
    ...(channels.length > 0 ? { chat: { channels, send } } : {}),
    contactAllowed: async (reportId) => (await intake.caseWork.getState(reportId))?.consentContact ?? false,
  });
}
