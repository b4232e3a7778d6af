import { showPending } from '../../chats/state/chats';
import { changedLocally } from '../../session/state/message-changed';
import type { SessionState } from '../../session/state/session-state';
import { pendingMessage, type PendingUpload } from '../../timeline/state/chat-message';
import { addPending, markFailed } from '../../timeline/state/timelines';
import type { OutboxEntry, QueuedFile } from '../outbox-entry';

/** The queue as the browser kept it, oldest first. */
export function inQueueOrder(entries: readonly OutboxEntry[]): OutboxEntry[] {
  return [...entries].sort((a, b) => a.order - b.order);
}

/**
 * The outbox the browser kept, shown again after a reload: each message of ours as pending (or
 * refused, with the reason), each change of ours on top of the message it changes. Entries for
 * chats the client does not hold are left out.
 */
export function showQueued(state: SessionState, entries: readonly OutboxEntry[]): SessionState {
  let next = state;
  for (const entry of inQueueOrder(entries)) {
    if (!next.chats.byId[entry.chatId]) continue;
    if (entry.type === 'change') {
      next = changedLocally(next, entry.chatId, entry.messageId, entry.change);
      continue;
    }
    const pending = pendingMessage(
      entry.chatId,
      next.me.id,
      entry.key,
      entry.body,
      new Date(entry.createdAt),
      entry.quote,
      pendingUploads(entry.files),
    );
    let timelines = addPending(next.timelines, pending);
    if (entry.failed !== undefined) timelines = markFailed(timelines, entry.chatId, entry.key, entry.failed);
    next = { ...next, timelines, chats: entry.failed === undefined ? showPending(next.chats, pending) : next.chats };
  }
  return next;
}

/** The files of a queued message as its pending copy shows them: stored ones are done. */
export function pendingUploads(files: readonly QueuedFile[] | undefined): PendingUpload[] {
  return (files ?? []).map(({ key, name, size, mime, kind, attachment }) => ({ key, name, size, mime, kind, done: !!attachment }));
}
