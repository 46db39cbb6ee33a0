import type { CheckChannel } from '../check/check-types.js';
import type { Channel } from '../report/report-schema.js';

/** The check's channel for a conversation's: every chat channel asks as itself; staff do not ask through /check. */
export function checkChannelOf(channel: Channel): CheckChannel | undefined {
  return channel === 'staff' ? undefined : channel;
}
