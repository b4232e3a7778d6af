import { DEFAULT_PAGE_SIZE } from '../../../shared/src/schemas/common.js';
import type { SyncRequest, SyncResult } from '../../../shared/src/schemas/sync.js';
import { listChats } from '../chats/list-chats.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { historyPage } from '../timeline/history-page.js';
import { toMessage } from '../timeline/message-view.js';

/** At most this many messages per chat in one sync answer. */
export const SYNC_PAGE_SIZE = 200;

/**
 * What a client missed while it was away. For every chat it names (with the id of the last
 * message it has), the messages after that one, oldest first, at most 200; `hasMore` then means
 * "sync again from the last one". For a chat named with null, or with an id the chat does not
 * know, it gets the latest page instead, and `hasMore` means older messages exist (page back with
 * `chat:history`). Chats the user is not a member of are simply absent from the answer.
 * The chat list comes along, so chats created meanwhile show up too.
 */
export async function syncMissed(deps: { storage: Storage }, actor: Actor, request: SyncRequest): Promise<SyncResult> {
  const { storage } = deps;
  const mine = new Set(await storage.members.chatIdsOfUser(actor.userId));
  const chats: SyncResult['chats'] = {};
  for (const [chatId, lastId] of Object.entries(request.chats)) {
    if (!mine.has(chatId)) continue;
    const last = lastId === null ? null : await storage.messages.byId(lastId);
    if (!last || last.chatId !== chatId) {
      chats[chatId] = await historyPage(storage, chatId, null, DEFAULT_PAGE_SIZE);
      continue;
    }
    const rows = await storage.messages.after(chatId, last.seq, SYNC_PAGE_SIZE + 1);
    chats[chatId] = { messages: rows.slice(0, SYNC_PAGE_SIZE).map(toMessage), hasMore: rows.length > SYNC_PAGE_SIZE };
  }
  const { chats: summaries } = await listChats(deps, actor);
  return { chats, summaries };
}
