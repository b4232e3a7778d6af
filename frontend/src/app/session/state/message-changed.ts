import type { ChangeKind, Message, MessageChange } from '@shared';
import { followChange } from '../../chats/state/chats';
import { noteChange, reachPosition } from '../../timeline/state/change-positions';
import type { LocalChange } from '../../timeline/state/local-change';
import { applyChangedMessage, changeLocally, localChangeAcked, localChangeRefused } from '../../timeline/state/timeline-changes';
import type { SessionState } from './session-state';

/**
 * A change to a message reported by the server (live): the message takes its newer state, the
 * chat's last line follows, and the chat's change position moves (past a missed change, the
 * position shows a gap: see hasChangeGap).
 */
export function messageChanged(state: SessionState, change: MessageChange): SessionState {
  return {
    ...state,
    timelines: applyChangedMessage(state.timelines, change.message),
    chats: followChange(state.chats, change, state.me.id, heldMentions(state, change.message)),
    changePositions: noteChange(state.changePositions, change.chatId, change.changeSeq),
  };
}

/** A sync answer's changes for one chat, and the change position it reached with them. */
export function changesSynced(state: SessionState, chatId: string, changes: readonly MessageChange[], changeSeq: number): SessionState {
  let timelines = state.timelines;
  let chats = state.chats;
  for (const change of changes) {
    const wasMentioned = heldMentions({ ...state, timelines }, change.message);
    timelines = applyChangedMessage(timelines, change.message);
    chats = followChange(chats, change, state.me.id, wasMentioned);
  }
  return { ...state, timelines, chats, changePositions: reachPosition(state.changePositions, chatId, changeSeq) };
}

/** One of our changes, shown at once as pending. */
export function changedLocally(state: SessionState, chatId: string, messageId: string, change: LocalChange): SessionState {
  return { ...state, timelines: changeLocally(state.timelines, chatId, messageId, change) };
}

/** The server acked one of our changes with the message as it now is (its changeSeq: the change's position). */
export function localChangeDone(state: SessionState, changeId: string, kind: ChangeKind, message: Message): SessionState {
  const change: MessageChange = { chatId: message.chatId, changeSeq: message.changeSeq, kind, message };
  return {
    ...state,
    timelines: localChangeAcked(state.timelines, message.chatId, changeId, message),
    chats: followChange(state.chats, change, state.me.id),
    changePositions: noteChange(state.changePositions, message.chatId, message.changeSeq),
  };
}

/** The server refused one of our changes: it is taken back and the message keeps the reason. */
export function localChangeFailed(state: SessionState, chatId: string, messageId: string, changeId: string, reason: string): SessionState {
  return { ...state, timelines: localChangeRefused(state.timelines, chatId, messageId, changeId, reason) };
}

/** Whether the state we hold of the message mentions us; undefined when we hold none. */
function heldMentions(state: SessionState, message: Message): boolean | undefined {
  const held = state.timelines[message.chatId]?.list.find((m) => m.id === message.id);
  return held ? held.deletedAt === null && held.mentions.includes(state.me.id) : undefined;
}
