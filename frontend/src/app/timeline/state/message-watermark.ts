import type { ChatMessage } from './chat-message';

/*
 * A chat's watermark is the highest seq up to which the client holds every stored message,
 * counting from the oldest page it loaded. Live messages can arrive out of order, or not at
 * all when a server process dies between storing and fanning out; anything the client holds
 * above the watermark sits past a hole. Catching up always starts from the watermark.
 */

/** Moves the watermark up through the messages that follow it without a gap. */
export function advanceWatermark(watermark: number, list: readonly ChatMessage[]): number {
  let reached = watermark;
  for (const message of list) {
    if (message.local || message.seq <= reached) continue;
    if (message.seq !== reached + 1) break;
    reached = message.seq;
  }
  return reached;
}

/** True when the list holds a stored message above the watermark: something below it is missing. */
export function hasHoleAbove(watermark: number, list: readonly ChatMessage[]): boolean {
  return list.some((m) => !m.local && m.seq > watermark);
}

/**
 * The message to resume from: the one at the watermark (or, should it be gone, the newest held
 * below it); null when nothing is held up to the watermark, i.e. start from the latest page.
 */
export function watermarkMessage(watermark: number, list: readonly ChatMessage[]): ChatMessage | null {
  let cursor: ChatMessage | null = null;
  for (const message of list) {
    if (message.local || message.seq > watermark) continue;
    if (!cursor || message.seq > cursor.seq) cursor = message;
  }
  return cursor;
}

/** The highest seq among the stored messages held, 0 when there are none. */
export function newestStoredSeq(list: readonly ChatMessage[]): number {
  return list.reduce((newest, m) => (m.local ? newest : Math.max(newest, m.seq)), 0);
}
