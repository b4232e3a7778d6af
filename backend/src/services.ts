import type { ChatRef, CreateGroupRequest, JoinGroupRequest, OpenDirectRequest, SearchGroupsRequest, UpdateGroupRequest } from '../../shared/src/schemas/chats.js';
import type { HistoryRequest, SendMessageRequest, SyncRequest } from '../../shared/src/schemas/messages.js';
import type { TypingRequest, UserRef } from '../../shared/src/schemas/presence.js';
import type { DeliveredRequest, ReadRequest } from '../../shared/src/schemas/receipts.js';
import { blockUser } from './blocks/block-user.js';
import { listBlocks } from './blocks/list-blocks.js';
import { unblockUser } from './blocks/unblock-user.js';
import { ChatKinds } from './chats/chat-kinds.js';
import { createGroup } from './chats/create-group.js';
import { deleteChat } from './chats/delete-chat.js';
import { getChat } from './chats/get-chat.js';
import { joinGroup } from './chats/join-group.js';
import { leaveGroup } from './chats/leave-group.js';
import { listChats } from './chats/list-chats.js';
import { openDirectChat } from './chats/open-direct-chat.js';
import type { RoomPasswords } from './chats/room-passwords.js';
import { searchGroups } from './chats/search-groups.js';
import { updateGroup } from './chats/update-group.js';
import type { Actor, LiveUpdates } from './live-updates.js';
import { readHistory } from './messages/read-history.js';
import { sendMessage } from './messages/send-message.js';
import { syncMissed } from './messages/sync-missed.js';
import { listUsers } from './presence/list-users.js';
import type { PresenceRegistry } from './presence/presence-registry.js';
import { setTyping } from './presence/set-typing.js';
import { socketClosed, socketOpened } from './presence/socket-presence.js';
import type { TypingTracker } from './presence/typing-tracker.js';
import { markDelivered } from './receipts/mark-delivered.js';
import { markRead } from './receipts/mark-read.js';
import type { Storage } from './storage/storage.js';

/** Everything the chat use cases need. Each use case takes only the part it uses. */
export interface ServiceDeps {
  storage: Storage;
  live: LiveUpdates;
  presence: PresenceRegistry;
  typing: TypingTracker;
  roomPasswords: RoomPasswords;
  limits: { maxGroupMembers: number; maxSocketsPerUser: number };
}

/**
 * The chat use cases, bound to their dependencies. Socket handlers and REST routes both call
 * these, with input already parsed against the shared schemas; every rule lives in the use case.
 */
export function createServices(deps: ServiceDeps) {
  const messaging = { ...deps, chatKinds: new ChatKinds(deps.storage) };
  return {
    listUsers: (actor: Actor) => listUsers(deps, actor),
    setTyping: (actor: Actor, request: TypingRequest) => setTyping(deps, actor, request),
    socketOpened: (userId: string, socketId: string) => socketOpened(deps, userId, socketId),
    socketClosed: (userId: string, socketId: string) => socketClosed(deps, userId, socketId),

    listChats: (actor: Actor) => listChats(deps, actor),
    getChat: (actor: Actor, request: ChatRef) => getChat(deps, actor, request),
    openDirectChat: (actor: Actor, request: OpenDirectRequest) => openDirectChat(deps, actor, request),
    deleteChat: (actor: Actor, request: ChatRef) => deleteChat(deps, actor, request),
    createGroup: (actor: Actor, request: CreateGroupRequest) => createGroup(deps, actor, request),
    joinGroup: (actor: Actor, request: JoinGroupRequest) => joinGroup(deps, actor, request),
    searchGroups: (actor: Actor, request: SearchGroupsRequest) => searchGroups(deps, actor, request),
    updateGroup: (actor: Actor, request: UpdateGroupRequest) => updateGroup(deps, actor, request),
    leaveGroup: (actor: Actor, request: ChatRef) => leaveGroup(deps, actor, request),

    sendMessage: (actor: Actor, request: SendMessageRequest) => sendMessage(messaging, actor, request),
    readHistory: (actor: Actor, request: HistoryRequest) => readHistory(deps, actor, request),
    syncMissed: (actor: Actor, request: SyncRequest) => syncMissed(deps, actor, request),

    markDelivered: (actor: Actor, request: DeliveredRequest) => markDelivered(deps, actor, request),
    markRead: (actor: Actor, request: ReadRequest) => markRead(deps, actor, request),

    blockUser: (actor: Actor, request: UserRef) => blockUser(deps, actor, request),
    unblockUser: (actor: Actor, request: UserRef) => unblockUser(deps, actor, request),
    listBlocks: (actor: Actor) => listBlocks(deps, actor),
  };
}

export type Services = ReturnType<typeof createServices>;
