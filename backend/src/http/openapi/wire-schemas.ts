import { z } from 'zod';
import { ERROR_CODES, type ApiError } from '../../../../shared/src/api-error.js';
import {
  CHAT_VISIBILITIES,
  GENDERS,
  NOTICE_TYPES,
  type AuthTokens,
  type Chat,
  type ChatMember,
  type ChatSummary,
  type HistoryPage,
  type Message,
  type Notice,
  type OpenedChat,
  type PublicUser,
  type RoomSearchHit,
  type SelfUser,
} from '../../../../shared/src/domain.js';
import {
  adminBulkCreateResultSchema,
  adminUserPageSchema,
  adminUserSchema,
  auditEntrySchema,
  auditPageSchema,
  USER_ROLES,
} from '../../../../shared/src/schemas/admin.js';
import type { SyncResult } from '../../../../shared/src/socket-events.js';

/**
 * The shapes REST answers with, as zod schemas, for the OpenAPI document. The wire types are
 * TypeScript interfaces in shared/src/domain.ts; the checks at the bottom make the compiler
 * refuse any difference between the two, so the document cannot drift from the types.
 * Every schema registered in `wireSchemas` becomes a named component.
 */
export const wireSchemas = z.registry<{ id: string }>();

function named<S extends z.ZodType>(id: string, schema: S): S {
  wireSchemas.add(schema, { id });
  return schema;
}

export const apiErrorSchema = named(
  'ApiError',
  z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    /** Per-field messages for validation errors, keyed by the field's path. */
    fields: z.record(z.string(), z.string()).optional(),
  }),
);
export const errorEnvelopeSchema = named('ErrorResponse', z.strictObject({ error: apiErrorSchema }));

export const publicUserSchema = named(
  'PublicUser',
  z.strictObject({
    id: z.string(),
    username: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    gender: z.enum(GENDERS),
    avatarUrl: z.string().nullable(),
    createdAt: z.string(),
  }),
);
export const selfUserSchema = named(
  'SelfUser',
  z.strictObject({ ...publicUserSchema.shape, email: z.string(), role: z.enum(USER_ROLES) }),
);
export const authTokensSchema = named(
  'AuthTokens',
  z.strictObject({
    accessToken: z.string(),
    /** Seconds until the access token expires. */
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    user: selfUserSchema,
  }),
);
export const userPageSchema = named(
  'UserPage',
  z.strictObject({ users: z.array(publicUserSchema), nextCursor: z.string().nullable() }),
);

export const chatMemberSchema = named(
  'ChatMember',
  z.strictObject({
    userId: z.string(),
    role: z.enum(['admin', 'member']),
    joinedAt: z.string(),
    deliveredSeq: z.number().int(),
    readSeq: z.number().int(),
  }),
);
export const noticeSchema = named(
  'Notice',
  z.strictObject({
    type: z.enum(NOTICE_TYPES),
    actorId: z.string(),
    targetId: z.string().optional(),
    name: z.string().optional(),
  }),
);
export const messageSchema = named(
  'Message',
  z.strictObject({
    id: z.string(),
    chatId: z.string(),
    seq: z.number().int(),
    kind: z.enum(['text', 'notice']),
    /** null: the sender's account was deleted ("deleted user"), or a notice. */
    senderId: z.string().nullable(),
    clientId: z.string().nullable(),
    body: z.string(),
    notice: noticeSchema.nullable(),
    createdAt: z.string(),
  }),
);
const chatFields = {
  id: z.string(),
  kind: z.enum(['direct', 'group']),
  name: z.string().nullable(),
  /** private: only the people added can see it, search never lists it; public: a room anyone signed in can find and join. Always private for a direct chat. */
  visibility: z.enum(CHAT_VISIBILITIES),
  /** Only a public group can have a password. */
  hasPassword: z.boolean(),
  createdAt: z.string(),
  lastActivityAt: z.string(),
  members: z.array(chatMemberSchema),
};
export const chatSchema = named('Chat', z.strictObject(chatFields));
export const chatSummarySchema = named(
  'ChatSummary',
  z.strictObject({ ...chatFields, lastMessage: messageSchema.nullable(), unreadCount: z.number().int() }),
);
export const historyPageSchema = named(
  'HistoryPage',
  z.strictObject({ messages: z.array(messageSchema), hasMore: z.boolean() }),
);
export const openedChatSchema = named('OpenedChat', z.strictObject({ chat: chatSummarySchema, history: historyPageSchema }));
export const roomSearchHitSchema = named(
  'RoomSearchHit',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    hasPassword: z.boolean(),
    memberCount: z.number().int(),
    isMember: z.boolean(),
  }),
);
export const syncResultSchema = named(
  'SyncResult',
  z.strictObject({
    chats: z.record(z.string(), z.strictObject({ messages: z.array(messageSchema), hasMore: z.boolean() })),
    summaries: z.array(chatSummarySchema),
  }),
);
export const chatListSchema = named('ChatList', z.strictObject({ chats: z.array(chatSummarySchema) }));
export const chatEnvelopeSchema = named('ChatEnvelope', z.strictObject({ chat: chatSummarySchema }));
export const messageEnvelopeSchema = named('MessageEnvelope', z.strictObject({ message: messageSchema }));
export const roomSearchResultSchema = named('RoomSearchResult', z.strictObject({ rooms: z.array(roomSearchHitSchema) }));
export const blockListSchema = named('BlockList', z.strictObject({ userIds: z.array(z.string()) }));

named('AdminUser', adminUserSchema);
named('AdminUserPage', adminUserPageSchema);
named('AdminBulkCreateResult', adminBulkCreateResultSchema);
named('AuditEntry', auditEntrySchema);
named('AuditPage', auditPageSchema);

export const healthSchema = named('Health', z.strictObject({ status: z.literal('ok') }));
export const readinessSchema = named(
  'Readiness',
  z.strictObject({
    status: z.enum(['ok', 'unavailable']),
    /** Per dependency (`store`, `redis`, ...): `ok`, or why it failed. */
    checks: z.record(z.string(), z.string()),
  }),
);

/** Compile-time proof that each schema and its wire type accept exactly the same values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
function sameShape<T extends true>(): T | undefined {
  return undefined;
}
sameShape<Same<z.infer<typeof apiErrorSchema>, ApiError>>();
sameShape<Same<z.infer<typeof publicUserSchema>, PublicUser>>();
sameShape<Same<z.infer<typeof selfUserSchema>, SelfUser>>();
sameShape<Same<z.infer<typeof authTokensSchema>, AuthTokens>>();
sameShape<Same<z.infer<typeof chatMemberSchema>, ChatMember>>();
sameShape<Same<z.infer<typeof noticeSchema>, Notice>>();
sameShape<Same<z.infer<typeof messageSchema>, Message>>();
sameShape<Same<z.infer<typeof chatSchema>, Chat>>();
sameShape<Same<z.infer<typeof chatSummarySchema>, ChatSummary>>();
sameShape<Same<z.infer<typeof historyPageSchema>, HistoryPage>>();
sameShape<Same<z.infer<typeof openedChatSchema>, OpenedChat>>();
sameShape<Same<z.infer<typeof roomSearchHitSchema>, RoomSearchHit>>();
sameShape<Same<z.infer<typeof syncResultSchema>, SyncResult>>();
