import type { AckCallback } from './api-error.js';
import type { BlockList, SelfUser, PublicUser, UserList } from './schemas/users.js';
import type { AuthenticationRequest, PresenceEvent, TypingEvent, TypingRequest, UserRef } from './schemas/presence.js';
import type {
  ChatEnvelope, ChatList, ChatRef, ChatRemovedEvent, CreateGroupRequest, JoinGroupRequest, OpenDirectRequest, OpenedChat,
  RoomSearchResult, SearchGroupsRequest, UpdateGroupRequest,
} from './schemas/chats.js';
import type { HistoryPage, HistoryRequest, Message, MessageEnvelope, SendMessageRequest } from './schemas/messages.js';
import type { DeleteMessageRequest, EditMessageRequest, MessageChange, ReactRequest } from './schemas/message-changes.js';
import type { NotifySetting, SetNotifyRequest } from './schemas/mentions.js';
import type { DeliveredRequest, Receipt, ReadRequest } from './schemas/receipts.js';
import type { SearchMessagesRequest, SearchResult } from './schemas/search.js';
import type { SyncRequest, SyncResult } from './schemas/sync.js';
import type { AttachmentUrls, AttachmentUrlsRequest } from './schemas/attachments.js';
import type { ChangePasswordRequest, UpdateProfileRequest } from './schemas/profile.js';

/**
 * Events the client emits. Every request but `authentication` and `chat:typing`
 * takes an ack; `chat:typing` accepts one optionally.
 */
export interface ClientToServerEvents {
  authentication: (payload: AuthenticationRequest) => void;
  'users:list': (payload: Record<string, never>, ack: AckCallback<UserList>) => void;
  'chat:list': (payload: Record<string, never>, ack: AckCallback<ChatList>) => void;
  'chat:open': (payload: OpenDirectRequest, ack: AckCallback<OpenedChat>) => void;
  'chat:get': (payload: ChatRef, ack: AckCallback<OpenedChat>) => void;
  'chat:history': (payload: HistoryRequest, ack: AckCallback<HistoryPage>) => void;
  'chat:message': (payload: SendMessageRequest, ack: AckCallback<MessageEnvelope>) => void;
  'message:edit': (payload: EditMessageRequest, ack: AckCallback<MessageEnvelope>) => void;
  'message:delete': (payload: DeleteMessageRequest, ack: AckCallback<MessageEnvelope>) => void;
  'message:react': (payload: ReactRequest, ack: AckCallback<MessageEnvelope>) => void;
  'message:search': (payload: SearchMessagesRequest, ack: AckCallback<SearchResult>) => void;
  'attachment:urls': (payload: AttachmentUrlsRequest, ack: AckCallback<AttachmentUrls>) => void;
  'chat:typing': (payload: TypingRequest, ack?: AckCallback<null>) => void;
  'chat:delivered': (payload: DeliveredRequest, ack: AckCallback<null>) => void;
  'chat:read': (payload: ReadRequest, ack: AckCallback<null>) => void;
  'chat:delete': (payload: ChatRef, ack: AckCallback<null>) => void;
  'chat:notify': (payload: SetNotifyRequest, ack: AckCallback<NotifySetting>) => void;
  'group:create': (payload: CreateGroupRequest, ack: AckCallback<ChatEnvelope>) => void;
  'group:join': (payload: JoinGroupRequest, ack: AckCallback<OpenedChat>) => void;
  'group:search': (payload: SearchGroupsRequest, ack: AckCallback<RoomSearchResult>) => void;
  'group:update': (payload: UpdateGroupRequest, ack: AckCallback<ChatEnvelope>) => void;
  'group:leave': (payload: ChatRef, ack: AckCallback<null>) => void;
  'user:block': (payload: UserRef, ack: AckCallback<null>) => void;
  'user:unblock': (payload: UserRef, ack: AckCallback<null>) => void;
  'user:blocks': (payload: Record<string, never>, ack: AckCallback<BlockList>) => void;
  'profile:update': (payload: UpdateProfileRequest, ack: AckCallback<SelfUser>) => void;
  'profile:password': (payload: ChangePasswordRequest, ack: AckCallback<null>) => void;
  sync: (payload: SyncRequest, ack: AckCallback<SyncResult>) => void;
}

export interface ServerToClientEvents {
  authenticated: (user: SelfUser) => void;
  unauthorized: (err: { message: string }) => void;
  presence: (payload: PresenceEvent) => void;
  'user:updated': (user: PublicUser) => void;
  'chat:created': (payload: ChatEnvelope) => void;
  'chat:updated': (payload: ChatEnvelope) => void;
  /** The user is no longer a member (left, removed, or the chat was deleted for them). */
  'chat:removed': (payload: ChatRemovedEvent) => void;
  'chat:message': (message: Message) => void;
  /** An edit, delete or reaction, with the chat's change position it took. */
  'message:changed': (change: MessageChange) => void;
  'chat:typing': (payload: TypingEvent) => void;
  /** The user changed their notification level of a chat (in another tab or device). Sent only to that user. */
  'chat:notify': (payload: NotifySetting) => void;
  'chat:receipt': (receipt: Receipt) => void;
  /**
   * The server is about to close this socket: `reason` is banned, disabled, password_reset or deleted (by an
   * administrator), or password_changed (the user changed their password in another session).
   */
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
