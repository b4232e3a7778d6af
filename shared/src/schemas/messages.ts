import { z } from 'zod';
import { clientIdSchema, idSchema, MAX_MESSAGE_LENGTH, pageLimitSchema } from './common.js';
import { attachmentIdsSchema, attachmentSchema } from './attachments.js';
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

/** The body of a message with attachments: their caption, which may be empty. */
export const captionSchema = z
  .string()
  .max(MAX_MESSAGE_LENGTH * 4, `must be at most ${MAX_MESSAGE_LENGTH} characters`)
  .transform((body) => body.trim())
  .pipe(z.string().max(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`));

/**
 * A new message. `body` may be empty ('') only when it carries attachments (it is then their
 * caption); `attachmentIds` name uploads of the sender that no message holds yet (see attachments.ts).
 */
export const sendMessageSchema = z
  .strictObject({
    chatId: idSchema,
    clientId: clientIdSchema,
    body: captionSchema,
    /** The id of a message in the same chat that this one answers. */
    replyTo: idSchema.optional(),
    attachmentIds: attachmentIdsSchema.optional(),
  })
  .superRefine((request, ctx) => {
    if (request.body === '' && (request.attachmentIds ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'must not be empty' });
    }
  });
export type SendMessageRequest = z.infer<typeof sendMessageSchema>;

export const historySchema = z
  .strictObject({
    chatId: idSchema,
    /** Id of the oldest message the client has; the page ends just before it. */
    before: idSchema.optional(),
    /**
     * Id of a message to load history around (a quote's original, a search hit): the page holds
     * it with up to `limit` messages before it and up to `limit` after it.
     */
    around: idSchema.optional(),
    limit: pageLimitSchema.optional(),
  })
  .refine((request) => request.before === undefined || request.around === undefined, {
    message: 'give before or around, not both',
    path: ['around'],
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

/** Who deleted a message: its sender, or an admin of the group. */
export const DELETED_BY = ['sender', 'admin'] as const;
export const deletedBySchema = z.enum(DELETED_BY);
export type DeletedBy = z.output<typeof deletedBySchema>;

/** Distinct emoji one message may carry. */
export const MAX_REACTIONS_PER_MESSAGE = 20;
/** How much of the original a reply's quote shows. */
export const QUOTE_PREVIEW_LENGTH = 140;

/** One emoji on a message and everyone who reacted with it, first reactor first. */
export const reactionSchema = named(
  'Reaction',
  z.strictObject({ emoji: z.string(), userIds: z.array(z.string()) }),
);
export type Reaction = z.output<typeof reactionSchema>;

/**
 * The message a reply answers, as it is now: it follows edits of the original, and shows
 * `deleted` (with an empty preview) once the original is deleted.
 */
export const replyQuoteSchema = named(
  'ReplyQuote',
  z.strictObject({
    messageId: z.string(),
    senderId: z.string().nullable(),
    /** The first QUOTE_PREVIEW_LENGTH characters of the original's body. */
    preview: z.string(),
    deleted: z.boolean(),
  }),
);
export type ReplyQuote = z.output<typeof replyQuoteSchema>;

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
    /** When the sender last edited the body; null if never. */
    editedAt: z.string().nullable(),
    /** A deleted message is a tombstone: its body is erased (''), its id and seq stay. */
    deletedAt: z.string().nullable(),
    deletedBy: deletedBySchema.nullable(),
    reactions: z.array(reactionSchema),
    replyTo: replyQuoteSchema.nullable(),
    /**
     * The members this message mentions (`<@userId>` tokens in the body, see mentions.ts), as the
     * server computed them when it was sent or last edited; the sender never. Empty for notices
     * and deleted messages.
     */
    mentions: z.array(z.string()),
    /**
     * The chat's change position of the newest edit, delete or reaction of this message; 0 if
     * none. Of two states of one message, the one with the higher changeSeq is the newer.
     */
    changeSeq: z.number().int(),
    /** The files and pictures the message carries, in the order they were attached; empty when none, and once deleted. */
    attachments: z.array(attachmentSchema),
  }),
);
export type Message = z.output<typeof messageSchema>;

export const messageEnvelopeSchema = named('MessageEnvelope', z.strictObject({ message: messageSchema }));
export type MessageEnvelope = z.output<typeof messageEnvelopeSchema>;

/** Messages oldest first; `hasMore`: older ones exist; `hasNewer` (pages `around` a message): newer ones exist. */
export const historyPageSchema = named(
  'HistoryPage',
  z.strictObject({ messages: z.array(messageSchema), hasMore: z.boolean(), hasNewer: z.boolean().optional() }),
);
export type HistoryPage = z.output<typeof historyPageSchema>;
