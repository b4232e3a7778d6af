import { z } from 'zod';
import { idSchema, pageLimitSchema } from './common.js';
import { chatKindSchema } from './chats.js';
import { named } from './wire-registry.js';

/** The longest search query, in characters (code points), after trimming. */
export const MAX_SEARCH_QUERY_LENGTH = 200;
/** The longest paging cursor the server hands out (it is opaque: pass back what `next` said). */
export const MAX_SEARCH_CURSOR_LENGTH = 300;
/** Characters of a message around its first match that a hit's snippet shows (plus an ellipsis at a cut end). */
export const SEARCH_SNIPPET_LENGTH = 160;

/**
 * `message:search` / GET /api/messages/search. `query`: words (each found inside words, case and
 * accents ignored), "quoted phrases", and the filters from:@username, in:#group name,
 * before:YYYY-MM-DD, after:YYYY-MM-DD (docs/PROTOCOL.md). `chatId`: only that chat. `before`: the
 * `next` of the previous page of the same query.
 */
export const searchMessagesSchema = z.strictObject({
  query: z
    .string()
    .max(MAX_SEARCH_QUERY_LENGTH * 4, `must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`)
    .transform((query) => query.trim())
    .pipe(
      z
        .string()
        .min(1, 'must not be empty')
        .refine((query) => [...query].length <= MAX_SEARCH_QUERY_LENGTH, `must be at most ${MAX_SEARCH_QUERY_LENGTH} characters`),
    ),
  chatId: idSchema.optional(),
  before: z.string().min(1).max(MAX_SEARCH_CURSOR_LENGTH).optional(),
  limit: pageLimitSchema.optional(),
});
export type SearchMessagesRequest = z.infer<typeof searchMessagesSchema>;

/** A matched part of a snippet: UTF-16 offsets into `text` (JavaScript string indices), `end` excluded. */
export const searchRangeSchema = named('SearchRange', z.strictObject({ start: z.number().int(), end: z.number().int() }));
export type SearchRange = z.output<typeof searchRangeSchema>;

/** Part of a message's body around its first match, with the matched parts as ranges (never markup). */
export const searchSnippetSchema = named(
  'SearchSnippet',
  z.strictObject({ text: z.string(), ranges: z.array(searchRangeSchema) }),
);
export type SearchSnippet = z.output<typeof searchSnippetSchema>;

export const searchHitSchema = named(
  'SearchHit',
  z.strictObject({
    messageId: z.string(),
    chatId: z.string(),
    chatKind: chatKindSchema,
    /** The group's name; null for a direct chat (see `peerId`). */
    chatName: z.string().nullable(),
    /** For a direct chat, the other member's user id; null for a group. */
    peerId: z.string().nullable(),
    seq: z.number().int(),
    /** null: the sender's account was deleted. */
    senderId: z.string().nullable(),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    snippet: searchSnippetSchema,
  }),
);
export type SearchHit = z.output<typeof searchHitSchema>;

/** Hits newest first; `next`: pass it as `before` (with the same query) for the following page, null on the last. */
export const searchResultSchema = named(
  'SearchResult',
  z.strictObject({ hits: z.array(searchHitSchema), next: z.string().nullable() }),
);
export type SearchResult = z.output<typeof searchResultSchema>;
