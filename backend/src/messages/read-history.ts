import type { HistoryPage, HistoryRequest } from '../../../shared/src/schemas/messages.js';
import { DEFAULT_PAGE_SIZE } from '../../../shared/src/schemas/common.js';
import { AppError } from '../app-error.js';
import { requireMember } from '../chats/membership-guard.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { historyPage } from '../timeline/history-page.js';

/**
 * One page of a chat's history, oldest first: the latest messages, or those just before the
 * message `before` (a cursor the client takes from the oldest message it has). Members only.
 * `hasMore` says whether older messages remain.
 */
export async function readHistory(deps: { storage: Storage }, actor: Actor, request: HistoryRequest): Promise<HistoryPage> {
  const { storage } = deps;
  await requireMember(storage, request.chatId, actor.userId);
  let beforeSeq: number | null = null;
  if (request.before !== undefined) {
    const cursor = await storage.messages.byId(request.before);
    if (!cursor || cursor.chatId !== request.chatId) throw new AppError('not_found', 'Message not found in this chat');
    beforeSeq = cursor.seq;
  }
  return historyPage(storage, request.chatId, beforeSeq, request.limit ?? DEFAULT_PAGE_SIZE);
}
