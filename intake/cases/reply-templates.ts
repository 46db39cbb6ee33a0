/**
 * The answers hotline staff send most, written once and translated into
 * every project language (`locales/<lang>/messages.json`, `templates.<id>`),
 * so a reporter is answered in their own language by someone who does not
 * speak it. Staff can change the text before sending.
 */
export const replyTemplates = [
  'received',
  'moreInformation',
  'evidenceRequest',
  'referred',
  'callEmergency',
  'bankFreeze',
  'recoveryScam',
  'embassy',
  'closed',
] as const;
export type ReplyTemplate = (typeof replyTemplates)[number];
