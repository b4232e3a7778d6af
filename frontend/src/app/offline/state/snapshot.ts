import type { ChatSummary, Message, UserWithPresence } from '@shared';
import { upsertChat } from '../../chats/state/chats';
import { addUsers, replaceBlocks } from '../../people/state/people';
import type { SessionState } from '../../session/state/session-state';
import type { ChangePosition } from '../../timeline/state/change-positions';
import { storedState } from '../../timeline/state/message-changes';
import { advanceWatermark } from '../../timeline/state/message-watermark';
import { openTimeline, type Timeline } from '../../timeline/state/timelines';

/** How many of each chat's newest messages the browser keeps for an offline start. */
export const SAVED_MESSAGES_PER_CHAT = 200;

/** One loaded chat as kept in the browser: its newest stored messages, as the server stored them. */
export interface SavedTimeline {
  chatId: string;
  messages: Message[];
  hasMore: boolean;
  watermark: number;
  changePosition: ChangePosition | null;
}

/** What the app shows after a reload while offline: chats, people and the newest history seen. */
export interface Snapshot {
  chats: readonly ChatSummary[];
  users: readonly UserWithPresence[];
  blocked: readonly string[];
  timelines: readonly SavedTimeline[];
}

export const EMPTY_SNAPSHOT: Snapshot = { chats: [], users: [], blocked: [], timelines: [] };

/**
 * A loaded chat as kept in the browser: our pending and refused messages stay out (the outbox
 * keeps those), our pending changes are taken off (the outbox replays them), and only the newest
 * `limit` messages are kept. When the cut passes the watermark, catching up starts over from the
 * latest page (watermark 0). Null for a chat whose history was never loaded.
 */
export function savedTimeline(
  chatId: string,
  timeline: Timeline | undefined,
  position: ChangePosition | undefined,
  limit = SAVED_MESSAGES_PER_CHAT,
): SavedTimeline | null {
  if (!timeline?.loaded) return null;
  const stored = timeline.list.filter((m) => !m.local).map(storedState);
  const messages = stored.slice(-limit);
  const oldest = messages[0];
  const watermark = oldest && timeline.watermark >= oldest.seq ? timeline.watermark : 0;
  return { chatId, messages, hasMore: timeline.hasMore || messages.length < stored.length, watermark, changePosition: position ?? null };
}

/** Everything of the state worth keeping for an offline start. */
export function takeSnapshot(state: SessionState, limit = SAVED_MESSAGES_PER_CHAT): Snapshot {
  const timelines = Object.keys(state.timelines)
    .map((chatId) => savedTimeline(chatId, state.timelines[chatId], state.changePositions[chatId], limit))
    .filter((saved): saved is SavedTimeline => saved !== null);
  return {
    chats: Object.values(state.chats.byId),
    users: [...state.people.users.values()],
    blocked: [...state.people.blocked],
    timelines,
  };
}

/**
 * Puts what the browser kept into the state, under anything the server already said: a chat,
 * person or loaded history the state holds stays as it is; messages that came live for a chat
 * not loaded yet are merged with the kept ones. Presence is unknown until the server says.
 */
export function restoreSnapshot(state: SessionState, snapshot: Snapshot): SessionState {
  let chats = state.chats;
  for (const chat of snapshot.chats) if (!chats.byId[chat.id]) chats = upsertChat(chats, chat);
  const unknownUsers = snapshot.users.filter((u) => !state.people.users.has(u.id)).map((u) => ({ ...u, online: false }));
  let people = addUsers(state.people, unknownUsers);
  if (people.blocked.size === 0 && snapshot.blocked.length > 0) people = replaceBlocks(people, snapshot.blocked);
  let timelines = state.timelines;
  let changePositions = state.changePositions;
  for (const saved of snapshot.timelines) {
    if (timelines[saved.chatId]?.loaded || !chats.byId[saved.chatId]) continue;
    timelines = openTimeline(timelines, saved.chatId, { messages: saved.messages, hasMore: saved.hasMore });
    const opened = timelines[saved.chatId]!;
    const watermark = saved.watermark === 0 ? 0 : advanceWatermark(saved.watermark, opened.list);
    timelines = { ...timelines, [saved.chatId]: { ...opened, watermark } };
    if (saved.changePosition && !changePositions[saved.chatId]) {
      changePositions = { ...changePositions, [saved.chatId]: saved.changePosition };
    }
  }
  return { ...state, chats, people, timelines, changePositions };
}
