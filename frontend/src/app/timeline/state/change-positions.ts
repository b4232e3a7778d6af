/*
 * Each chat numbers its changes (edits, deletes, reactions) 1, 2, 3…: its change position. Per
 * loaded chat the client keeps how far it has applied every change (`applied`) and the changes it
 * applied past a missing one (`ahead`). Something ahead means a change was missed: the chat
 * catches up on changes from `applied` through `sync`. Applying a change is idempotent (the
 * message with the higher changeSeq wins), so starting from too early a position is harmless.
 */

export interface ChangePosition {
  /** Every change up to here is applied. */
  applied: number;
  /** Changes applied past a missing one, ascending. */
  ahead: readonly number[];
}

/** chatId → its change position; only for chats whose timeline is loaded. */
export type ChangePositions = Readonly<Record<string, ChangePosition>>;

/** Moves `applied` through the changes ahead that follow it without a gap. */
function settle(applied: number, ahead: readonly number[]): ChangePosition {
  let reached = applied;
  const rest: number[] = [];
  for (const seq of [...ahead].sort((a, b) => a - b)) {
    if (seq <= reached) continue;
    if (seq === reached + 1) reached = seq;
    else rest.push(seq);
  }
  return { applied: reached, ahead: rest };
}

/** A chat's timeline was first loaded when its change position was `changeSeq`; a known position stays. */
export function startPosition(positions: ChangePositions, chatId: string, changeSeq: number): ChangePositions {
  if (positions[chatId]) return positions;
  return { ...positions, [chatId]: { applied: changeSeq, ahead: [] } };
}

/** One change was applied (live, or the ack of ours). */
export function noteChange(positions: ChangePositions, chatId: string, changeSeq: number): ChangePositions {
  const current = positions[chatId];
  if (!current || changeSeq <= current.applied || current.ahead.includes(changeSeq)) return positions;
  return { ...positions, [chatId]: settle(current.applied, [...current.ahead, changeSeq]) };
}

/** The server answered for every change up to `changeSeq` (a sync answer). */
export function reachPosition(positions: ChangePositions, chatId: string, changeSeq: number): ChangePositions {
  const current = positions[chatId];
  if (!current || changeSeq <= current.applied) return positions;
  return { ...positions, [chatId]: settle(changeSeq, current.ahead) };
}

/** True when a change past a missing one was applied: the chat needs a change catch-up. */
export function hasChangeGap(positions: ChangePositions, chatId: string): boolean {
  return (positions[chatId]?.ahead.length ?? 0) > 0;
}

/** The change cursor to sync a chat from, if it is tracked. */
export function changeCursor(positions: ChangePositions, chatId: string): number | undefined {
  return positions[chatId]?.applied;
}
