import type {
  AuthTokens,
  ChatMember,
  ChatSummary,
  Gender,
  Message,
  Notice,
  SelfUser,
  UserWithPresence,
} from '@shared';

const EPOCH = Date.parse('2026-03-02T10:00:00.000Z');

export function aUser(username: string, overrides: Partial<UserWithPresence> = {}): UserWithPresence {
  const name = username.charAt(0).toUpperCase() + username.slice(1);
  return {
    id: `user-${username}`,
    username,
    firstName: name,
    lastName: 'Tester',
    gender: 'unspecified' as Gender,
    avatarUrl: null,
    createdAt: new Date(EPOCH).toISOString(),
    online: true,
    ...overrides,
  };
}

export function aSelfUser(username: string): SelfUser {
  const { online: _online, ...user } = aUser(username);
  return { ...user, email: `${username}@example.test`, role: 'user' };
}

export function tokens(user: SelfUser, n = 1, expiresIn = 900): AuthTokens {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn, user };
}

export function aMember(userId: string, overrides: Partial<ChatMember> = {}): ChatMember {
  return { userId, role: 'member', joinedAt: new Date(EPOCH).toISOString(), deliveredSeq: 0, readSeq: 0, readAt: null, ...overrides };
}

export function aMessage(chatId: string, seq: number, senderId: string | null, overrides: Partial<Message> = {}): Message {
  return {
    id: `${chatId}-m${seq}`,
    chatId,
    seq,
    kind: 'text',
    senderId,
    clientId: null,
    body: `message ${seq}`,
    notice: null,
    createdAt: new Date(EPOCH + seq * 60_000).toISOString(),
    editedAt: null,
    deletedAt: null,
    deletedBy: null,
    reactions: [],
    replyTo: null,
    changeSeq: 0,
    mentions: [],
    attachments: [],
    ...overrides,
  };
}

export function aNotice(chatId: string, seq: number, notice: Notice): Message {
  return aMessage(chatId, seq, notice.actorId, { kind: 'notice', notice, body: '' });
}

export function aChat(id: string, memberIds: string[], overrides: Partial<ChatSummary> = {}): ChatSummary {
  return {
    id,
    kind: 'direct',
    name: null,
    visibility: 'private',
    hasPassword: false,
    createdAt: new Date(EPOCH).toISOString(),
    lastActivityAt: new Date(EPOCH).toISOString(),
    members: memberIds.map((userId) => aMember(userId)),
    lastMessage: null,
    unreadCount: 0,
    unreadMentionCount: 0,
    notify: 'all',
    changeSeq: 0,
    ...overrides,
  };
}
