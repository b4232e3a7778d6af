import type { UnreadCounts } from '../../../shared/src/schemas/unread.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';

/** The counts and the chats they were summed over (an unread stream listens to those chats). */
export interface UnreadTally extends UnreadCounts {
  chatIds: string[];
}

/**
 * The user's unread and mention totals over their chats (the chat list's per-chat counts, which
 * are index ranges, summed). Muted chats are left out, as a badge would leave them out; hidden
 * chats are not listed, and a new message un-hides a chat.
 */
export async function tallyUnread(storage: Storage, userId: string): Promise<UnreadTally> {
  const entries = await storage.chats.listForUser(userId);
  let unread = 0;
  let mentions = 0;
  for (const entry of entries) {
    if (entry.membership.notify === 'muted') continue;
    unread += entry.unreadCount;
    mentions += entry.unreadMentionCount;
  }
  return { unread, mentions, chatIds: entries.map((entry) => entry.chat.id) };
}

/** `GET /api/me/unread`. */
export async function readUnreadCounts(deps: { storage: Storage }, actor: Actor): Promise<UnreadCounts> {
  const { unread, mentions } = await tallyUnread(deps.storage, actor.userId);
  return { unread, mentions };
}
