import type { webhook } from '@line/bot-sdk';
import { z } from 'zod';

/**
 * The body of a LINE webhook call, in the Messaging API's wire format
 * (https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects,
 * line/line-openapi webhook.yml). It is checked after the signature and before
 * anything is recorded, so that a signed body of the wrong shape is refused
 * whole instead of failing later, half stored or forever retried.
 *
 * What is checked: the envelope every event has (type, mode, timestamp,
 * webhookEventId, deliveryContext), the source where LINE always sends one,
 * and every field the bot reads, with its type. Other documented fields are
 * checked for their type when present. Event types, message types and source
 * types LINE adds later, and fields it adds to known ones, pass through: a new
 * LINE feature must not turn into 400s and redelivery storms.
 */

const id = z.string().min(1);

/** A schema that takes any `type` other than the ones given (the known ones have schemas of their own). */
function otherType(known: readonly string[]) {
  return z.string().refine((type) => !known.includes(type));
}

const knownSourceTypes = ['user', 'group', 'room'] as const;

const sourceSchema = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('user'), userId: id }),
    z.looseObject({ type: z.literal('group'), groupId: id, userId: id.optional() }),
    z.looseObject({ type: z.literal('room'), roomId: id, userId: id.optional() }),
  ]),
  z.looseObject({ type: otherType(knownSourceTypes) }),
]);

const contentProvider = z.looseObject({ type: z.string() });
const messageBase = { id, quoteToken: z.string().optional(), markAsReadToken: z.string().optional() };

const knownMessageTypes = ['text', 'image', 'video', 'audio', 'file', 'location', 'sticker'] as const;

const messageContentSchema = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({
      ...messageBase,
      type: z.literal('text'),
      text: z.string(),
      quotedMessageId: z.string().optional(),
    }),
    z.looseObject({
      ...messageBase,
      type: z.literal('image'),
      contentProvider: contentProvider.optional(),
      // Several images sent at once share an imageSet id.
      imageSet: z.looseObject({ id, index: z.number().optional(), total: z.number().optional() }).optional(),
    }),
    z.looseObject({
      ...messageBase,
      type: z.literal('video'),
      contentProvider: contentProvider.optional(),
      duration: z.number().optional(),
    }),
    z.looseObject({
      ...messageBase,
      type: z.literal('audio'),
      contentProvider: contentProvider.optional(),
      duration: z.number().optional(),
    }),
    z.looseObject({ ...messageBase, type: z.literal('file'), fileName: z.string(), fileSize: z.number().optional() }),
    z.looseObject({
      ...messageBase,
      type: z.literal('location'),
      latitude: z.number(),
      longitude: z.number(),
      title: z.string().optional(),
      address: z.string().optional(),
    }),
    z.looseObject({
      ...messageBase,
      type: z.literal('sticker'),
      packageId: z.string().optional(),
      stickerId: z.string().optional(),
      stickerResourceType: z.string().optional(),
      text: z.string().optional(),
    }),
  ]),
  z.looseObject({ ...messageBase, type: otherType(knownMessageTypes) }),
]);

/** The properties every webhook event has. */
const envelope = {
  mode: z.enum(['active', 'standby']),
  timestamp: z.number().int(),
  webhookEventId: id,
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }),
  replyToken: z.string().optional(),
};

/**
 * Events that always come from a user, group chat or multi-person chat (and the bot reads none of their own fields).
 */
const eventsWithSource = [
  'unfollow',
  'join',
  'leave',
  'memberJoined',
  'memberLeft',
  'videoPlayComplete',
  'beacon',
  'accountLink',
  'membership',
] as const;

const knownEventTypes = ['message', 'postback', 'follow', 'unsend', ...eventsWithSource] as const;

export const lineEventSchema = z.union([
  z.discriminatedUnion('type', [
    z.looseObject({ ...envelope, type: z.literal('message'), source: sourceSchema, message: messageContentSchema }),
    z.looseObject({
      ...envelope,
      type: z.literal('postback'),
      source: sourceSchema,
      postback: z.looseObject({ data: z.string(), params: z.looseObject({}).optional() }),
    }),
    z.looseObject({
      ...envelope,
      type: z.literal('follow'),
      source: sourceSchema,
      follow: z.looseObject({ isUnblocked: z.boolean() }).optional(),
    }),
    // A message the person took back: its text leaves the report too.
    z.looseObject({
      ...envelope,
      type: z.literal('unsend'),
      source: sourceSchema,
      unsend: z.looseObject({ messageId: id }),
    }),
    ...eventsWithSource.map((type) => z.looseObject({ ...envelope, type: z.literal(type), source: sourceSchema })),
  ]),
  // Module channel events (activated, botSuspended, …), delivery completion, and whatever LINE adds later.
  z.looseObject({ ...envelope, type: otherType(knownEventTypes), source: sourceSchema.optional() }),
]);

export const lineWebhookBodySchema = z.looseObject({
  destination: z.string().optional(),
  // LINE's "Verify" button sends an empty array.
  events: z.array(lineEventSchema),
});

/** The events of a webhook body, exactly as LINE sent them, or undefined when the body does not have LINE's shape. */
export function lineEventsOf(body: unknown): webhook.Event[] | undefined {
  if (!lineWebhookBodySchema.safeParse(body).success) return undefined;
  return (body as { events: webhook.Event[] }).events;
}
