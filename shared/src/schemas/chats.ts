import { z } from 'zod';
import { idSchema } from './common.js';
import { notifyLevelSchema } from './mentions.js';
import { historyPageSchema, messageSchema } from './messages.js';
import { bcryptLimitProblem, PASSWORD_MAX_BYTES, passwordToCheckSchema } from './password-policy.js';
import { named } from './wire-registry.js';

export const CHAT_KINDS = ['direct', 'group'] as const;
export const chatKindSchema = z.enum(CHAT_KINDS);
export type ChatKind = z.output<typeof chatKindSchema>;

/**
 * Who can find a group. `private` (the default): only the people its admins add; it is never
 * listed by search and cannot be joined by anyone else. `public` (a room): listed by search,
 * joined by anyone signed in (with its password, when it has one), who then reads its whole
 * history. A direct chat is always `private`.
 */
export const CHAT_VISIBILITIES = ['private', 'public'] as const;

/** A room password as it is set: at least 4 characters, and within bcrypt's limit of 72 UTF-8 bytes, no NUL. */
export const roomPasswordSchema = z
  .string()
  .min(4, 'must be at least 4 characters')
  .max(PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`)
  .superRefine((password, ctx) => {
    const problem = bcryptLimitProblem(password);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export const groupNameSchema = z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters');

/** `private` (only the people added; never searchable) or `public` (a room anyone signed in can find and join). */
export const chatVisibilitySchema = z.enum(CHAT_VISIBILITIES, { message: 'must be private or public' });
export type ChatVisibility = z.output<typeof chatVisibilitySchema>;

export const MEMBER_ROLES = ['admin', 'member'] as const;
export const memberRoleSchema = z.enum(MEMBER_ROLES);
export type MemberRole = z.output<typeof memberRoleSchema>;

export const openDirectSchema = z.strictObject({ userId: idSchema });
export type OpenDirectRequest = z.infer<typeof openDirectSchema>;

export const createGroupSchema = z.strictObject({
  name: groupNameSchema,
  memberIds: z.array(idSchema).max(1000),
  password: roomPasswordSchema.optional(),
  /** Left out: `private`. Only a `public` room may have a password. */
  visibility: chatVisibilitySchema.optional(),
});
export type CreateGroupRequest = z.infer<typeof createGroupSchema>;

export const joinGroupSchema = z.strictObject({
  chatId: idSchema,
  password: passwordToCheckSchema().optional(),
});
export type JoinGroupRequest = z.infer<typeof joinGroupSchema>;

export const searchGroupsSchema = z.strictObject({
  query: z.string().trim().max(80),
});
export type SearchGroupsRequest = z.infer<typeof searchGroupsSchema>;

export const updateGroupSchema = z.strictObject({
  chatId: idSchema,
  name: groupNameSchema.optional(),
  /** A string sets or changes the password; null removes it. */
  password: roomPasswordSchema.nullable().optional(),
  /** Switches the group between private and public; a private group cannot keep a password. */
  visibility: chatVisibilitySchema.optional(),
  addMemberIds: z.array(idSchema).max(1000).optional(),
  removeMemberIds: z.array(idSchema).max(1000).optional(),
  promoteIds: z.array(idSchema).max(1000).optional(),
  demoteIds: z.array(idSchema).max(1000).optional(),
});
export type UpdateGroupRequest = z.infer<typeof updateGroupSchema>;

export const chatRefSchema = z.strictObject({ chatId: idSchema });
export type ChatRef = z.infer<typeof chatRefSchema>;

export const emptySchema = z.strictObject({}).optional();

export const chatMemberSchema = named(
  'ChatMember',
  z.strictObject({
    userId: z.string(),
    role: memberRoleSchema,
    joinedAt: z.string(),
    /** Highest message seq this member's client confirmed receiving. */
    deliveredSeq: z.number().int(),
    /** Highest message seq this member has read. */
    readSeq: z.number().int(),
    /** When readSeq last moved (ISO-8601); null if the member has read nothing yet, or read before this was recorded. */
    readAt: z.string().nullable(),
  }),
);
export type ChatMember = z.output<typeof chatMemberSchema>;

export const chatSchema = named(
  'Chat',
  z.strictObject({
    id: z.string(),
    kind: chatKindSchema,
    /** Group name; null for a direct chat. */
    name: z.string().nullable(),
    /** private: only the people added can see it, search never lists it; public: a room anyone signed in can find and join. Always private for a direct chat. */
    visibility: chatVisibilitySchema,
    /** Only a public group can have a password. */
    hasPassword: z.boolean(),
    createdAt: z.string(),
    lastActivityAt: z.string(),
    members: z.array(chatMemberSchema),
  }),
);
export type Chat = z.output<typeof chatSchema>;

/** A chat as its member's chat list shows it. */
export const chatSummarySchema = named(
  'ChatSummary',
  z.strictObject({
    ...chatSchema.shape,
    lastMessage: messageSchema.nullable(),
    /** Messages from others after the member's read position, deleted ones not counted. */
    unreadCount: z.number().int(),
    /** Of those, the messages that mention the member (deleted ones not counted). */
    unreadMentionCount: z.number().int(),
    /** The member's own notification level for this chat (`chat:notify`); nobody else's is ever sent. */
    notify: notifyLevelSchema,
    /** The chat's newest change position (edits, deletes, reactions); 0 if none yet. */
    changeSeq: z.number().int(),
  }),
);
export type ChatSummary = z.output<typeof chatSummarySchema>;

export const chatListSchema = named('ChatList', z.strictObject({ chats: z.array(chatSummarySchema) }));
export type ChatList = z.output<typeof chatListSchema>;

export const chatEnvelopeSchema = named('ChatEnvelope', z.strictObject({ chat: chatSummarySchema }));
export type ChatEnvelope = z.output<typeof chatEnvelopeSchema>;

/** A chat just opened or joined, with its latest page of history. */
export const openedChatSchema = named('OpenedChat', z.strictObject({ chat: chatSummarySchema, history: historyPageSchema }));
export type OpenedChat = z.output<typeof openedChatSchema>;

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
export type RoomSearchHit = z.output<typeof roomSearchHitSchema>;

export const roomSearchResultSchema = named('RoomSearchResult', z.strictObject({ rooms: z.array(roomSearchHitSchema) }));
export type RoomSearchResult = z.output<typeof roomSearchResultSchema>;

/** `chat:removed`: the user is no longer a member (left, removed, or the chat was deleted for them). */
export const chatRemovedEventSchema = z.strictObject({ chatId: z.string() });
export type ChatRemovedEvent = z.output<typeof chatRemovedEventSchema>;
