import type { HistoryPage } from '../../../shared/src/schemas/messages.js';
import type { MessageRecord, Storage } from '../storage/storage.js';
import { messageViews } from './message-view.js';

/**
 * Up to `limit` messages just before `beforeSeq` (the newest when null), oldest first.
 * One extra row is read to learn whether older messages remain.
 */
export async function historyPage(storage: Storage, chatId: string, beforeSeq: number | null, limit: number): Promise<HistoryPage> {
  const rows = await storage.messages.before(chatId, beforeSeq, limit + 1);
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(rows.length - limit) : rows;
  return { messages: await messageViews(storage, page), hasMore };
}

/**
 * The message `center` with up to `limit` messages before it and up to `limit` after it, oldest
 * first. `hasMore`: older messages remain; `hasNewer`: newer ones do. One extra row is read on
 * each side to learn which.
 */
export async function historyAround(storage: Storage, center: MessageRecord, limit: number): Promise<HistoryPage> {
  const [older, newer] = await Promise.all([
    storage.messages.before(center.chatId, center.seq, limit + 1),
    storage.messages.after(center.chatId, center.seq, limit + 1),
  ]);
  const hasMore = older.length > limit;
  const hasNewer = newer.length > limit;
  const page = [...(hasMore ? older.slice(older.length - limit) : older), center, ...newer.slice(0, limit)];
  return { messages: await messageViews(storage, page), hasMore, hasNewer };
}
