import type { ChatSummary } from '../../../shared/src/schemas/chats.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { toChatSummary } from './chat-views.js';

/** The actor's visible chats, most recent activity first (deleted direct chats stay out until a new message). */
export async function listChats(deps: { storage: Storage }, actor: Actor): Promise<{ chats: ChatSummary[] }> {
  const entries = await deps.storage.chats.listForUser(actor.userId);
  const chats = await Promise.all(entries.map(async (entry) => toChatSummary(entry, await deps.storage.members.list(entry.chat.id))));
  return { chats };
}
