import type { OpenedChat, ChatRef } from '../../../shared/src/schemas/chats.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { openedChatFor } from './chat-views.js';
import { requireMember } from './membership-guard.js';

/** One of the actor's chats with its latest page of messages. Outsiders get `not_found`. */
export async function getChat(deps: { storage: Storage }, actor: Actor, request: ChatRef): Promise<OpenedChat> {
  await requireMember(deps.storage, request.chatId, actor.userId);
  return openedChatFor(deps.storage, request.chatId, actor.userId);
}
