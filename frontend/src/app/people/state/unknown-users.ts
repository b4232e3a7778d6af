import type { ChatSummary } from '@shared';
import type { SessionState } from '../../session/state/session-state';

/**
 * The users a change brought into view that the client does not know: senders of messages it
 * added, members (and last senders) of chat summaries it added or replaced. Deleted senders
 * (null) and the signed-in user are not unknown.
 */
export function unknownUserIds(before: SessionState, after: SessionState): string[] {
  const ids = new Set<string>();
  if (before.chats !== after.chats) {
    for (const [chatId, chat] of Object.entries(after.chats.byId)) {
      if (before.chats.byId[chatId] !== chat) addChatUsers(ids, chat);
    }
  }
  if (before.timelines !== after.timelines) {
    for (const [chatId, timeline] of Object.entries(after.timelines)) {
      const previous = before.timelines[chatId]?.list;
      if (previous === timeline.list) continue;
      const seen = new Set(previous);
      for (const message of timeline.list) if (!seen.has(message) && message.senderId) ids.add(message.senderId);
    }
  }
  return unknownOf(after, ids);
}

/** Every user the state names that the client does not know (after the people list was loaded). */
export function allUnknownUserIds(state: SessionState): string[] {
  const ids = new Set<string>();
  for (const chat of Object.values(state.chats.byId)) addChatUsers(ids, chat);
  for (const timeline of Object.values(state.timelines)) {
    for (const message of timeline.list) if (message.senderId) ids.add(message.senderId);
  }
  return unknownOf(state, ids);
}

function addChatUsers(ids: Set<string>, chat: ChatSummary): void {
  for (const member of chat.members) ids.add(member.userId);
  if (chat.lastMessage?.senderId) ids.add(chat.lastMessage.senderId);
}

function unknownOf(state: SessionState, ids: Set<string>): string[] {
  return [...ids].filter((id) => id !== state.me.id && !state.people.users.has(id));
}
