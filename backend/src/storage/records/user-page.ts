/** One page of the user search (UserStore.search), as both adapters cut it. */
import type { UserPage, UserRecord } from '../storage.js';

/**
 * The page from up to `limit` + 1 stored users in username-key order: the one more than asked
 * only tells that another page follows, and then the key of the page's last user is the cursor.
 */
export function userPageOf<Stored>(
  stored: Stored[],
  limit: number,
  toUser: (user: Stored) => UserRecord,
  keyOf: (user: Stored) => string,
): UserPage {
  const page = stored.slice(0, limit);
  const last = page.at(-1);
  return {
    users: page.map(toUser),
    nextCursor: stored.length > limit && last ? keyOf(last) : null,
  };
}
