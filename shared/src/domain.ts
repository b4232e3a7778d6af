/** Plain data that crosses the wire. Dates are ISO-8601 strings. */

export const GENDERS = ['female', 'male', 'nonbinary', 'unspecified'] as const;
export type Gender = (typeof GENDERS)[number];

export type UserRole = 'user' | 'admin';

export interface PublicUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  gender: Gender;
  avatarUrl: string | null;
  createdAt: string;
}

/** The signed-in user's own profile: the public fields plus private ones. */
export interface SelfUser extends PublicUser {
  email: string;
  role: UserRole;
}

export interface UserWithPresence extends PublicUser {
  online: boolean;
}

export type ChatKind = 'direct' | 'group';

/**
 * Who can find a group. `private` (the default): only the people its admins add; it is never
 * listed by search and cannot be joined by anyone else. `public` (a room): listed by search,
 * joined by anyone signed in (with its password, when it has one), who then reads its whole
 * history. A direct chat is always `private`.
 */
export const CHAT_VISIBILITIES = ['private', 'public'] as const;
export type ChatVisibility = (typeof CHAT_VISIBILITIES)[number];
export type MemberRole = 'admin' | 'member';

export interface ChatMember {
  userId: string;
  role: MemberRole;
  joinedAt: string;
  /** Highest message seq this member's client confirmed receiving. */
  deliveredSeq: number;
  /** Highest message seq this member has read. */
  readSeq: number;
}

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
export type NoticeType = (typeof NOTICE_TYPES)[number];

export interface Notice {
  type: NoticeType;
  actorId: string;
  targetId?: string;
  name?: string;
}

export interface Message {
  id: string;
  chatId: string;
  /** Position in the chat, strictly increasing; cursors and receipts are expressed with it. */
  seq: number;
  kind: 'text' | 'notice';
  senderId: string | null;
  clientId: string | null;
  body: string;
  notice: Notice | null;
  createdAt: string;
}

export interface Chat {
  id: string;
  kind: ChatKind;
  /** Group name; null for a direct chat. */
  name: string | null;
  /** Whether search lists the group and anyone may join it; always `private` for a direct chat. */
  visibility: ChatVisibility;
  /** Only a public group can have a password. */
  hasPassword: boolean;
  createdAt: string;
  lastActivityAt: string;
  members: ChatMember[];
}

export interface ChatSummary extends Chat {
  lastMessage: Message | null;
  unreadCount: number;
}

export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
}

export interface OpenedChat {
  chat: ChatSummary;
  history: HistoryPage;
}

export interface RoomSearchHit {
  id: string;
  name: string;
  hasPassword: boolean;
  memberCount: number;
  isMember: boolean;
}

export interface Receipt {
  chatId: string;
  messageId: string;
  seq: number;
  userId: string;
  status: 'delivered' | 'read';
}

export interface AuthTokens {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  user: SelfUser;
}
