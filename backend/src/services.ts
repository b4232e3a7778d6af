import type { ChatRef, CreateGroupRequest, JoinGroupRequest, OpenDirectRequest, SearchGroupsRequest, UpdateGroupRequest } from '../../shared/src/schemas/chats.js';
import type { HistoryRequest, SendMessageRequest } from '../../shared/src/schemas/messages.js';
import type { SyncRequest } from '../../shared/src/schemas/sync.js';
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
import type { WriteBudget } from './rate-limits/write-budget.js';
import type { Storage } from './storage/storage.js';

/** Everything the chat use cases need. Each use case takes only the part it uses. */
export interface ServiceDeps {
  storage: Storage;
  live: LiveUpdates;
  presence: PresenceRegistry;
  typing: TypingTracker;
  roomPasswords: RoomPasswords;
  limits: { maxGroupMembers: number; maxSocketsPerUser: number };
  /** Each user's budget of writes, taken by every state-changing use case below, whatever the transport. */
  writeBudget: WriteBudget;
}

/**
 * The chat use cases, bound to their dependencies. Socket handlers and REST routes both call
 * these, with input already parsed against the shared schemas; every rule lives in the use case.
 */
export function createServices(deps: ServiceDeps) {
  const messaging = { ...deps, chatKinds: new ChatKinds(deps.storage) };
  // Writes first take from the user's budget (429 / rate_limited once spent). Receipts do not:
  // clients send one per message they receive, and they only move a position forward.
  const write = async <T>(actor: Actor, run: () => Promise<T>): Promise<T> => {
    await deps.writeBudget.take(actor.userId);
    return run();
  };
  // Group passwords are hashed and checked as the acting user's bcrypt work (its rate limit, its queue turn).
  const asUser = (actor: Actor): ServiceDeps => ({ ...deps, roomPasswords: deps.roomPasswords.as({ key: `user:${actor.userId}` }) });
  return {
    listUsers: (actor: Actor) => listUsers(deps, actor),
    setTyping: (actor: Actor, request: TypingRequest) => setTyping(deps, actor, request),
    socketOpened: (userId: string, socketId: string) => socketOpened(deps, userId, socketId),
    socketClosed: (userId: string, socketId: string) => socketClosed(deps, userId, socketId),

    listChats: (actor: Actor) => listChats(deps, actor),
    getChat: (actor: Actor, request: ChatRef) => getChat(deps, actor, request),
    openDirectChat: (actor: Actor, request: OpenDirectRequest) => write(actor, () => openDirectChat(deps, actor, request)),
    deleteChat: (actor: Actor, request: ChatRef) => write(actor, () => deleteChat(deps, actor, request)),
    createGroup: (actor: Actor, request: CreateGroupRequest) => write(actor, () => createGroup(asUser(actor), actor, request)),
    joinGroup: (actor: Actor, request: JoinGroupRequest) => write(actor, () => joinGroup(asUser(actor), actor, request)),
    searchGroups: (actor: Actor, request: SearchGroupsRequest) => searchGroups(deps, actor, request),
    updateGroup: (actor: Actor, request: UpdateGroupRequest) => write(actor, () => updateGroup(asUser(actor), actor, request)),
    leaveGroup: (actor: Actor, request: ChatRef) => write(actor, () => leaveGroup(deps, actor, request)),

    sendMessage: (actor: Actor, request: SendMessageRequest) => write(actor, () => sendMessage(messaging, actor, request)),
    readHistory: (actor: Actor, request: HistoryRequest) => readHistory(deps, actor, request),
    syncMissed: (actor: Actor, request: SyncRequest) => syncMissed(deps, actor, request),

    markDelivered: (actor: Actor, request: DeliveredRequest) => markDelivered(deps, actor, request),
    markRead: (actor: Actor, request: ReadRequest) => markRead(deps, actor, request),

    blockUser: (actor: Actor, request: UserRef) => write(actor, () => blockUser(deps, actor, request)),
    unblockUser: (actor: Actor, request: UserRef) => write(actor, () => unblockUser(deps, actor, request)),
    listBlocks: (actor: Actor) => listBlocks(deps, actor),
  };
}

export type Services = ReturnType<typeof createServices>;
