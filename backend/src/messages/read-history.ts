import type { HistoryPage, HistoryRequest } from '../../../shared/src/schemas/messages.js';
import { DEFAULT_PAGE_SIZE } from '../../../shared/src/schemas/common.js';
import { AppError } from '../app-error.js';
import { requireMember } from '../chats/membership-guard.js';
import type { Actor } from '../live-updates.js';
import type { MessageRecord, Storage } from '../storage/storage.js';
import { historyAround, historyPage } from '../timeline/history-page.js';

/**
 * One page of a chat's history, oldest first: the latest messages, those just before the
 * message `before` (a cursor the client takes from the oldest message it has), or those
 * `around` a message (a quote's original): it, up to `limit` before and up to `limit` after.
 * Members only. `hasMore` says whether older messages remain; `hasNewer` (around pages) whether
 * newer ones do. A cursor that is not a message of this chat is `not_found`.
 */
export async function readHistory(deps: { storage: Storage }, actor: Actor, request: HistoryRequest): Promise<HistoryPage> {
  const { storage } = deps;
  const cursorId = request.around ?? request.before;
  const [, cursor] = await Promise.all([
    requireMember(storage, request.chatId, actor.userId),
    cursorId === undefined ? null : storage.messages.byId(cursorId),
  ]);
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  if (cursorId === undefined) return historyPage(storage, request.chatId, null, limit);
  const inChat = messageOfChat(cursor, request.chatId);
  return request.around !== undefined ? historyAround(storage, inChat, limit) : historyPage(storage, request.chatId, inChat.seq, limit);
}

function messageOfChat(message: MessageRecord | null, chatId: string): MessageRecord {
  if (!message || message.chatId !== chatId) throw new AppError('not_found', 'Message not found in this chat');
  return message;
}
