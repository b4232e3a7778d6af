import type { Notice } from '../../../shared/src/schemas/messages.js';
import type { LiveUpdates } from '../live-updates.js';
import { toMessage } from '../timeline/message-view.js';
import type { MessageRecord, Storage } from '../storage/storage.js';

/** What each notice says in plain words; clients render their own text from `notice`. */
function describe(notice: Notice): string {
  switch (notice.type) {
    case 'created':
      return `created the group${notice.name ? ` "${notice.name}"` : ''}`;
    case 'renamed':
      return `renamed the group to "${notice.name ?? ''}"`;
    case 'joined':
      return 'joined';
    case 'left':
      return 'left';
    case 'added':
      return 'added a member';
    case 'removed':
      return 'removed a member';
    case 'promoted':
      return 'made a member an admin';
    case 'demoted':
      return 'removed an admin';
    case 'made_public':
      return 'made the group public: anyone signed in can find it, join it and read its history';
    case 'made_private':
      return 'made the group private: only people added by an admin can join it';
  }
}

/**
 * Stores a group event (joined, left, renamed, ...) as a `notice` message in the chat's timeline
 * and sends it to the chat's room like any message. The actor is recorded as the sender, so the
 * notice does not count as unread for them.
 */
export async function postNotice(deps: { storage: Storage; live: LiveUpdates }, chatId: string, notice: Notice): Promise<MessageRecord> {
  const message = await deps.storage.messages.append({
    chatId,
    kind: 'notice',
    senderId: notice.actorId,
    clientId: null,
    body: describe(notice),
    notice,
  });
  deps.live.toChat(chatId, 'chat:message', toMessage(message));
  return message;
}
