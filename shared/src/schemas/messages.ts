import { z } from 'zod';
import { clientIdSchema, idSchema, MAX_MESSAGE_LENGTH, pageLimitSchema } from './common.js';
import { named } from './wire-registry.js';

export const messageBodySchema = z
  .string()
  .max(MAX_MESSAGE_LENGTH * 4, `must be at most ${MAX_MESSAGE_LENGTH} characters`)
  .transform((body) => body.trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`),
  );

export const sendMessageSchema = z.strictObject({
  chatId: idSchema,
  clientId: clientIdSchema,
  body: messageBodySchema,
});
export type SendMessageRequest = z.infer<typeof sendMessageSchema>;

export const historySchema = z.strictObject({
  chatId: idSchema,
  /** Id of the oldest message the client has; the page ends just before it. */
  before: idSchema.optional(),
  limit: pageLimitSchema.optional(),
});
export type HistoryRequest = z.infer<typeof historySchema>;

/** A message someone wrote, or a notice the server posted about the group (joined, renamed...). */
export const MESSAGE_KINDS = ['text', 'notice'] as const;
export const messageKindSchema = z.enum(MESSAGE_KINDS);
export type MessageKind = z.output<typeof messageKindSchema>;

export const NOTICE_TYPES = [
  'created',
  'joined',
  'left',
  'added',
  'removed',
  'renamed',
  'promoted',
  'demoted',
  'made_public',
  'made_private',
] as const;
export const noticeTypeSchema = z.enum(NOTICE_TYPES);
export type NoticeType = z.output<typeof noticeTypeSchema>;

export const noticeSchema = named(
  'Notice',
  z.strictObject({
    type: noticeTypeSchema,
    actorId: z.string(),
    targetId: z.string().optional(),
    name: z.string().optional(),
  }),
);
export type Notice = z.output<typeof noticeSchema>;

export const messageSchema = named(
  'Message',
  z.strictObject({
    id: z.string(),
    chatId: z.string(),
    /** Position in the chat, strictly increasing; cursors and receipts are expressed with it. */
    seq: z.number().int(),
    kind: messageKindSchema,
    /** null: the sender's account was deleted ("deleted user"), or a notice. */
    senderId: z.string().nullable(),
    clientId: z.string().nullable(),
    body: z.string(),
    notice: noticeSchema.nullable(),
    createdAt: z.string(),
  }),
);
export type Message = z.output<typeof messageSchema>;

export const messageEnvelopeSchema = named('MessageEnvelope', z.strictObject({ message: messageSchema }));
export type MessageEnvelope = z.output<typeof messageEnvelopeSchema>;

/** Messages oldest first; `hasMore`: older ones exist. */
export const historyPageSchema = named(
  'HistoryPage',
  z.strictObject({ messages: z.array(messageSchema), hasMore: z.boolean() }),
);
export type HistoryPage = z.output<typeof historyPageSchema>;
