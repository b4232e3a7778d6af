import type { HistoryPage } from '../../../shared/src/schemas/messages.js';
import type { Storage } from '../storage/storage.js';
import { toMessage } from './message-view.js';

/**
 * Up to `limit` messages just before `beforeSeq` (the newest when null), oldest first.
 * One extra row is read to learn whether older messages remain.
 */
export async function historyPage(storage: Storage, chatId: string, beforeSeq: number | null, limit: number): Promise<HistoryPage> {
  const rows = await storage.messages.before(chatId, beforeSeq, limit + 1);
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(rows.length - limit) : rows;
  return { messages: page.map(toMessage), hasMore };
}
