import type { AckCallback } from './api-error.js';
import type {
  ChatSummary, HistoryPage, Message, OpenedChat, PublicUser, Receipt, RoomSearchHit, SelfUser, UserWithPresence,
} from './domain.js';
import type { AuthenticationRequest, TypingRequest, UserRef } from './schemas/presence.js';
import type {
  ChatRef, CreateGroupRequest, JoinGroupRequest, OpenDirectRequest, SearchGroupsRequest, UpdateGroupRequest,
} from './schemas/chats.js';
import type { HistoryRequest, SendMessageRequest, SyncRequest } from './schemas/messages.js';
import type { DeliveredRequest, ReadRequest } from './schemas/receipts.js';

/** Per chat: the messages after the client's last seen id, oldest first. */
export interface SyncResult {
  chats: Record<string, { messages: Message[]; hasMore: boolean }>;
  /** The user's chat list, so chats created while offline appear too. */
  summaries: ChatSummary[];
}

/**
 * Events the client emits. Every request but `authentication` and `chat:typing`
 * takes an ack; `chat:typing` accepts one optionally.
 */
export interface ClientToServerEvents {
  authentication: (payload: AuthenticationRequest) => void;
  'users:list': (payload: Record<string, never>, ack: AckCallback<{ users: UserWithPresence[] }>) => void;
  'chat:list': (payload: Record<string, never>, ack: AckCallback<{ chats: ChatSummary[] }>) => void;
  'chat:open': (payload: OpenDirectRequest, ack: AckCallback<OpenedChat>) => void;
  'chat:get': (payload: ChatRef, ack: AckCallback<OpenedChat>) => void;
  'chat:history': (payload: HistoryRequest, ack: AckCallback<HistoryPage>) => void;
  'chat:message': (payload: SendMessageRequest, ack: AckCallback<{ message: Message }>) => void;
  'chat:typing': (payload: TypingRequest, ack?: AckCallback<null>) => void;
  'chat:delivered': (payload: DeliveredRequest, ack: AckCallback<null>) => void;
  'chat:read': (payload: ReadRequest, ack: AckCallback<null>) => void;
  'chat:delete': (payload: ChatRef, ack: AckCallback<null>) => void;
  'group:create': (payload: CreateGroupRequest, ack: AckCallback<{ chat: ChatSummary }>) => void;
  'group:join': (payload: JoinGroupRequest, ack: AckCallback<OpenedChat>) => void;
  'group:search': (payload: SearchGroupsRequest, ack: AckCallback<{ rooms: RoomSearchHit[] }>) => void;
  'group:update': (payload: UpdateGroupRequest, ack: AckCallback<{ chat: ChatSummary }>) => void;
  'group:leave': (payload: ChatRef, ack: AckCallback<null>) => void;
  'user:block': (payload: UserRef, ack: AckCallback<null>) => void;
  'user:unblock': (payload: UserRef, ack: AckCallback<null>) => void;
  'user:blocks': (payload: Record<string, never>, ack: AckCallback<{ userIds: string[] }>) => void;
  sync: (payload: SyncRequest, ack: AckCallback<SyncResult>) => void;
}

export interface ServerToClientEvents {
  authenticated: (user: SelfUser) => void;
  unauthorized: (err: { message: string }) => void;
  presence: (payload: { userId: string; online: boolean }) => void;
  'user:updated': (user: PublicUser) => void;
  'chat:created': (payload: { chat: ChatSummary }) => void;
  'chat:updated': (payload: { chat: ChatSummary }) => void;
  /** The user is no longer a member (left, removed, or the chat was deleted for them). */
  'chat:removed': (payload: { chatId: string }) => void;
  'chat:message': (message: Message) => void;
  'chat:typing': (payload: { chatId: string; userId: string; typing: boolean }) => void;
  'chat:receipt': (receipt: Receipt) => void;
  /** The server is about to close this socket: `reason` is banned, disabled, password_reset or deleted (by an administrator). */
  'session:ended': (payload: { reason: string }) => void;
}

export interface InterServerEvents {
  ping: () => void;
}

/** What the server keeps on each socket once it has authenticated. */
export interface SocketData {
  userId: string;
  username: string;
  authenticated: boolean;
}
