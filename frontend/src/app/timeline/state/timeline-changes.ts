import type { Message } from '@shared';
import type { ChatMessage } from './chat-message';
import type { LocalChange } from './local-change';
import { followQuotes, withLocalChange, withSettledChange, withStoredState } from './message-changes';
import type { Timelines } from './timelines';

/** Replaces one held stored message through `change`; the replies quoting it follow. */
function mapStored(timelines: Timelines, chatId: string, messageId: string, change: (entry: ChatMessage) => ChatMessage): Timelines {
  const current = timelines[chatId];
  if (!current) return timelines;
  const index = current.list.findIndex((m) => m.id === messageId && !m.local);
  if (index < 0) return timelines;
  const entry = current.list[index]!;
  const next = change(entry);
  if (next === entry) return timelines;
  const list = [...current.list];
  list[index] = next;
  return { ...timelines, [chatId]: { ...current, list: followQuotes(list, next) } };
}

/** The server reported a message's new state: it replaces the held one if newer (higher changeSeq). */
export function applyChangedMessage(timelines: Timelines, message: Message): Timelines {
  return mapStored(timelines, message.chatId, message.id, (entry) => withStoredState(entry, message));
}

/** One of our changes, shown at once and marked pending. */
export function changeLocally(timelines: Timelines, chatId: string, messageId: string, change: LocalChange): Timelines {
  return mapStored(timelines, chatId, messageId, (entry) => withLocalChange(entry, change));
}

/** The server acked one of our changes with the message as it now is. */
export function localChangeAcked(timelines: Timelines, chatId: string, changeId: string, message: Message): Timelines {
  return mapStored(timelines, chatId, message.id, (entry) => withSettledChange(entry, changeId, { acked: message }));
}

/** The server refused one of our changes: it is taken back, and the message keeps the reason. */
export function localChangeRefused(timelines: Timelines, chatId: string, messageId: string, changeId: string, reason: string): Timelines {
  return mapStored(timelines, chatId, messageId, (entry) => withSettledChange(entry, changeId, { refused: reason }));
}

/** The held message with this id, as shown. */
export function heldMessage(timelines: Timelines, chatId: string, messageId: string): ChatMessage | undefined {
  return timelines[chatId]?.list.find((m) => m.id === messageId);
}
