import type { ChatSummary } from '../../../shared/src/schemas/chats.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { lastMessageViews, toChatSummary } from './chat-views.js';

/** The actor's visible chats, most recent activity first (deleted direct chats stay out until a new message). */
export async function listChats(deps: { storage: Storage }, actor: Actor): Promise<{ chats: ChatSummary[] }> {
  const entries = await deps.storage.chats.listForUser(actor.userId);
  const [memberLists, lastMessages] = await Promise.all([
    Promise.all(entries.map((entry) => deps.storage.members.list(entry.chat.id))),
    lastMessageViews(deps.storage, entries),
  ]);
  return { chats: entries.map((entry, index) => toChatSummary(entry, memberLists[index]!, lastMessages[index] ?? null)) };
}
