import type { ChatSummary, HistoryPage, Message, PublicUser, SelfUser } from '@shared';
import { NO_CHATS, removeChat, replaceChats, touchChat, upsertChat, type Chats } from '../../chats/state/chats';
import { NO_PEOPLE, updateUser, type People } from '../../people/state/people';
import { setTyping, type Typing } from '../../typing/state/typing';
import { startPosition, type ChangePositions } from '../../timeline/state/change-positions';
import { absorbLatestPage, openTimeline, storeMessages, type Stored, type Timelines } from '../../timeline/state/timelines';
import { withoutKey } from './without-key';

/** Everything the client knows in one signed-in session. */
export interface SessionState {
  me: SelfUser;
  people: People;
  chats: Chats;
  timelines: Timelines;
  /** How far each loaded chat has applied the changes to its messages. */
  changePositions: ChangePositions;
  typing: Typing;
}

export function initialSessionState(me: SelfUser): SessionState {
  return { me, people: NO_PEOPLE, chats: NO_CHATS, timelines: {}, changePositions: {}, typing: {} };
}

/** A chat went away (left, removed, deleted): with it its messages and who is typing there. */
export function chatRemoved(state: SessionState, chatId: string): SessionState {
  return {
    ...state,
    chats: removeChat(state.chats, chatId),
    timelines: withoutKey(state.timelines, chatId),
    changePositions: withoutKey(state.changePositions, chatId),
    typing: withoutKey(state.typing, chatId),
  };
}

/** The server listed all of the user's chats: the ones it left out are gone. */
export function chatsListed(state: SessionState, summaries: readonly ChatSummary[]): SessionState {
  const listed = new Set(summaries.map((c) => c.id));
  const gone = Object.keys(state.chats.byId).filter((id) => !listed.has(id));
  const next = { ...state, chats: replaceChats(summaries) };
  return gone.reduce(chatRemoved, next);
}

/**
 * A chat was opened, created or joined: its summary and its latest page. Loaded the first time,
 * its changes count from the summary's change position.
 */
export function chatOpened(state: SessionState, chat: ChatSummary, history: HistoryPage): SessionState {
  return {
    ...state,
    chats: upsertChat(state.chats, chat),
    timelines: openTimeline(state.timelines, chat.id, history),
    changePositions: startPosition(state.changePositions, chat.id, chat.changeSeq),
  };
}

/** Someone's profile changed; when it is ours, the signed-in user too. */
export function userUpdated(state: SessionState, user: PublicUser): SessionState {
  const me = state.me.id === user.id ? { ...state.me, ...user } : state.me;
  return { ...state, me, people: updateUser(state.people, user) };
}

/** A message the client did not hold yet: a live one counts as unread when it is someone else's text. */
export function messageArrived(state: SessionState, message: Message): SessionState {
  const fromOther = isFromOther(state, message);
  const chats = touchChat(state.chats, message, state.me.id, fromOther && message.kind === 'text');
  const typing = fromOther && message.senderId ? setTyping(state.typing, message.chatId, message.senderId, false) : state.typing;
  return { ...state, chats, typing };
}

/** One of our messages was stored: it replaces the pending copy and becomes the chat's last line. */
export function messageAcked(state: SessionState, message: Message): SessionState {
  const { timelines, arrived } = storeMessages(state.timelines, message.chatId, [message]);
  if (arrived.length === 0) return state;
  return { ...state, timelines, chats: touchChat(state.chats, message, state.me.id, false) };
}

/** Messages for a chat, live or fetched: the ones the client did not hold come back too. */
export function messagesReceived(state: SessionState, chatId: string, messages: readonly Message[]): [SessionState, Message[]] {
  return withStored(state, storeMessages(state.timelines, chatId, messages));
}

/** A chat's latest page, fetched to catch up a chat that had no watermark. */
export function latestPageReceived(state: SessionState, chatId: string, page: HistoryPage): [SessionState, Message[]] {
  return withStored(state, absorbLatestPage(state.timelines, chatId, page));
}

function withStored(state: SessionState, { timelines, arrived }: Stored): [SessionState, Message[]] {
  return [timelines === state.timelines ? state : { ...state, timelines }, arrived];
}

export function isFromOther(state: SessionState, message: Message): boolean {
  return message.senderId !== null && message.senderId !== state.me.id;
}

/** Chats a change took away: the client no longer holds their summary or their messages. */
export function removedChats(before: SessionState, after: SessionState): string[] {
  const ids = new Set([...Object.keys(before.chats.byId), ...Object.keys(before.timelines)]);
  return [...ids].filter((id) => !(id in after.chats.byId) && !(id in after.timelines));
}

/** Chats whose messages a change touched. */
export function changedTimelines(before: SessionState, after: SessionState): string[] {
  if (before.timelines === after.timelines) return [];
  const ids = new Set([...Object.keys(before.timelines), ...Object.keys(after.timelines)]);
  return [...ids].filter((id) => before.timelines[id] !== after.timelines[id]);
}

/** Chats whose change position a change moved. */
export function changedPositions(before: SessionState, after: SessionState): string[] {
  if (before.changePositions === after.changePositions) return [];
  return Object.keys(after.changePositions).filter((id) => before.changePositions[id] !== after.changePositions[id]);
}
