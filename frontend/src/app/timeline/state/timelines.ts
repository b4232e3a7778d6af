import type { HistoryPage, Message } from '@shared';
import type { ChatMessage, PendingUpload } from './chat-message';
import { firstStoredMessage, mergeMessages } from './merge-messages';
import { storedState } from './message-changes';
import { advanceWatermark, watermarkMessage } from './message-watermark';

/** The messages the client holds for one chat. */
export interface Timeline {
  list: readonly ChatMessage[];
  /** Older messages exist on the server. */
  hasMore: boolean;
  /** History was fetched; otherwise `list` only buffers live messages until the chat is opened. */
  loaded: boolean;
  /**
   * Once loaded: the highest seq up to which `list` holds every message, from the oldest page
   * loaded on. Catching up starts from here, so a message that never arrived live is fetched.
   */
  watermark: number;
}

/** chatId → its timeline. */
export type Timelines = Readonly<Record<string, Timeline>>;

/** What a chat the client has not opened yet starts from: live messages are buffered in it. */
const UNOPENED: Timeline = { list: [], hasMore: true, loaded: false, watermark: 0 };

/** A transition that also says which messages were new to the client. */
export interface Stored {
  timelines: Timelines;
  arrived: Message[];
}

export function timelineOf(timelines: Timelines, chatId: string): Timeline {
  return timelines[chatId] ?? UNOPENED;
}

function withTimeline(timelines: Timelines, chatId: string, timeline: Timeline): Timelines {
  return { ...timelines, [chatId]: timeline };
}

/**
 * Adds messages to a chat and moves its watermark up through them; `arrived` lists the new ones.
 * A held message comes back only in a newer state (a higher changeSeq), which replaces it.
 */
export function storeMessages(timelines: Timelines, chatId: string, incoming: readonly Message[]): Stored {
  const current = timelineOf(timelines, chatId);
  const known = new Map(current.list.map((m) => [m.id, m]));
  const arrived: Message[] = [];
  const newer: Message[] = [];
  for (const message of incoming) {
    const held = known.get(message.id);
    if (held && !held.local && message.changeSeq > storedState(held).changeSeq) newer.push(message);
    if (held) continue;
    known.set(message.id, message);
    arrived.push(message);
  }
  if (arrived.length === 0 && newer.length === 0) return { timelines, arrived };
  const list = mergeMessages(current.list, [...newer, ...arrived]);
  const watermark = current.loaded ? advanceWatermark(current.watermark, list) : 0;
  return { timelines: withTimeline(timelines, chatId, { ...current, list, watermark }), arrived };
}

/** The server has answered for everything up to `seq`: the watermark moves there, and on if it can. */
export function raiseWatermark(timelines: Timelines, chatId: string, seq: number): Timelines {
  const current = timelines[chatId];
  if (!current?.loaded) return timelines;
  const watermark = advanceWatermark(Math.max(current.watermark, seq), current.list);
  return watermark === current.watermark ? timelines : withTimeline(timelines, chatId, { ...current, watermark });
}

/**
 * Takes in a chat's latest page. The first time, the watermark starts at the page's newest
 * message; live messages buffered before it stay if they are not older than the page (older ones
 * come back in order when paging back). Afterwards the page merges like any other messages.
 */
export function openTimeline(timelines: Timelines, chatId: string, page: HistoryPage): Timelines {
  const current = timelines[chatId];
  if (current?.loaded) return storeMessages(timelines, chatId, page.messages).timelines;
  const oldest = page.messages[0];
  const buffered = (current?.list ?? []).filter((m) => m.local || !page.hasMore || !oldest || m.seq >= oldest.seq);
  const list = mergeMessages(buffered, page.messages);
  const watermark = advanceWatermark(page.messages.at(-1)?.seq ?? 0, list);
  return withTimeline(timelines, chatId, { list, hasMore: page.hasMore, loaded: true, watermark });
}

/**
 * Merges the chat's latest page into what is held (a catch-up for a chat without a watermark).
 * When older messages exist, held ones older than the page go: paging back brings them in order.
 */
export function absorbLatestPage(timelines: Timelines, chatId: string, page: HistoryPage): Stored {
  const current = timelines[chatId];
  if (!current) return { timelines, arrived: [] };
  const known = new Set(current.list.map((m) => m.id));
  const oldest = page.messages[0];
  const kept = page.hasMore && oldest ? current.list.filter((m) => m.local || m.seq >= oldest.seq) : current.list;
  const list = mergeMessages(kept, page.messages);
  const hasMore = page.hasMore || current.hasMore;
  return {
    timelines: withTimeline(timelines, chatId, { ...current, list, hasMore }),
    arrived: page.messages.filter((m) => !known.has(m.id)),
  };
}

/** Puts a page of older messages in front of what is held. */
export function prependOlder(timelines: Timelines, chatId: string, page: HistoryPage): Timelines {
  const current = timelines[chatId];
  if (!current) return timelines;
  return withTimeline(timelines, chatId, { ...current, list: mergeMessages(current.list, page.messages), hasMore: page.hasMore });
}

/**
 * Takes in a page of history around a message (a quote's original). When the page ends before
 * the oldest message held, with newer ones between, the gap is a hole: the watermark falls to the
 * page's newest message, and filling the hole brings the ones between, in order, up to the newest.
 */
export function mergeAround(timelines: Timelines, chatId: string, page: HistoryPage): Timelines {
  const current = timelines[chatId];
  if (!current?.loaded || page.messages.length === 0) return timelines;
  const oldestHeld = firstStoredMessage(current.list);
  const newestOfPage = page.messages.at(-1)!;
  const list = mergeMessages(current.list, page.messages);
  const extendsBack = !oldestHeld || page.messages[0]!.seq < oldestHeld.seq;
  const apart = !!oldestHeld && newestOfPage.seq < oldestHeld.seq && page.hasNewer !== false;
  const watermark = advanceWatermark(apart ? newestOfPage.seq : Math.max(current.watermark, oldestHeld ? 0 : newestOfPage.seq), list);
  return withTimeline(timelines, chatId, { ...current, list, watermark, hasMore: extendsBack ? page.hasMore : current.hasMore });
}

/** Shows one of our messages before the server has it. */
export function addPending(timelines: Timelines, pending: ChatMessage): Timelines {
  const current = timelineOf(timelines, pending.chatId);
  return withTimeline(timelines, pending.chatId, { ...current, list: mergeMessages(current.list, [pending]) });
}

function mapLocal(
  timelines: Timelines,
  chatId: string,
  clientId: string,
  change: (list: readonly ChatMessage[], isIt: (m: ChatMessage) => boolean) => ChatMessage[],
): Timelines {
  const current = timelines[chatId];
  if (!current) return timelines;
  const isIt = (m: ChatMessage) => !!m.local && m.clientId === clientId;
  return withTimeline(timelines, chatId, { ...current, list: change(current.list, isIt) });
}

/** The server refused one of our messages: it stays, marked, with the reason. */
export function markFailed(timelines: Timelines, chatId: string, clientId: string, reason: string): Timelines {
  return mapLocal(timelines, chatId, clientId, (list, isIt) =>
    list.map((m) => (isIt(m) ? { ...m, local: 'failed' as const, error: reason } : m)),
  );
}

/** The files of a pending message of ours as they are now: one cancelled, or one stored. */
export function setPendingUploads(timelines: Timelines, chatId: string, clientId: string, uploads: readonly PendingUpload[]): Timelines {
  return mapLocal(timelines, chatId, clientId, (list, isIt) => list.map((m) => (isIt(m) ? { ...m, uploads } : m)));
}

/** Removes a message the server refused. */
export function discardFailed(timelines: Timelines, chatId: string, clientId: string): Timelines {
  return mapLocal(timelines, chatId, clientId, (list, isIt) => list.filter((m) => !isIt(m)));
}

/** After a disconnect, live messages buffered for chats never opened may have gaps: they go. */
export function dropUnopened(timelines: Timelines): Timelines {
  return Object.fromEntries(Object.entries(timelines).filter(([, timeline]) => timeline.loaded));
}

/** Where catching up on a chat starts: the message at its watermark, or null for the latest page. */
export function syncCursor(timeline: Timeline): string | null {
  return watermarkMessage(timeline.watermark, timeline.list)?.id ?? null;
}
