import { DestroyRef, Injectable, inject } from '@angular/core';
import type { SyncResult } from '@shared';
import { ArrivalsService } from '../chats/arrivals.service';
import { ReceiptsService } from '../chats/receipts.service';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { changesSynced } from '../session/state/message-changed';
import { changedPositions, changedTimelines, chatsListed, latestPageReceived, messagesReceived } from '../session/state/session-state';
import { changeCursor, hasChangeGap } from '../timeline/state/change-positions';
import { hasHoleAbove, newestStoredSeq } from '../timeline/state/message-watermark';
import { raiseWatermark, syncCursor } from '../timeline/state/timelines';

/** A catch-up after (re)connecting, or a fill of the hole below a live message (or change). */
export type SyncPurpose = 'catch-up' | 'fill';

type SyncAnswer = SyncResult['chats'][string];

const MAX_SYNC_ROUNDS = 10;

/**
 * Brings timelines up to date from their watermarks, and their messages' changes from their
 * change positions. A live message past a hole, or a live change past a missed one, waits a
 * moment for the missing ones, then the chat is synced; so is every chat on reconnect.
 */
@Injectable()
export class TimelineSync {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly receipts = inject(ReceiptsService);
  private readonly arrivals = inject(ArrivalsService);
  /** chatId → the pending request for messages (or changes) missing below a live one. */
  private readonly holeTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Chats with a `sync` under way; their holes wait for its answer. */
  private readonly syncing = new Set<string>();

  constructor() {
    this.store.onChange(({ before, after }) => {
      const chatIds = new Set([...changedTimelines(before, after), ...changedPositions(before, after)]);
      for (const chatId of chatIds) this.watchForHole(chatId);
    });
    inject(DestroyRef).onDestroy(() => this.cancelHoles());
  }

  /** The catch-up after the next authentication starts from every watermark anyway. */
  cancelHoles(): void {
    for (const timer of this.holeTimers.values()) clearTimeout(timer);
    this.holeTimers.clear();
  }

  /**
   * Asks for what each chat holds after its cursor (null: the latest page), and for the changes
   * after its change position (`changeCursors`), page by page, and merges them. Once the server
   * has answered a chat completely, its watermark rises to the newest seq returned or held before
   * asking: the answer is authoritative, so a seq it left out does not exist (a refused duplicate
   * in MongoDB) and is not asked for again; its change position likewise.
   * A `fill` comes after a live message past a hole; what it brings counts as arriving live.
   */
  async sync(cursors: Record<string, string | null>, purpose: SyncPurpose, changeCursors: Record<string, number> = {}): Promise<void> {
    const chatIds = Object.keys(cursors);
    const heldBefore = new Map(chatIds.map((id) => [id, newestStoredSeq(this.store.timelines()[id]?.list ?? [])]));
    const aheadBefore = new Map(chatIds.map((id) => [id, Math.max(0, ...(this.store.snapshot().changePositions[id]?.ahead ?? []))]));
    for (const chatId of chatIds) this.syncing.add(chatId);
    try {
      let request = cursors;
      let changes = Object.fromEntries(Object.entries(changeCursors).filter(([id]) => id in cursors));
      for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
        const result = await this.connection.request('sync', { chats: request, ...(Object.keys(changes).length > 0 ? { changes } : {}) });
        if (round === 0 && purpose === 'catch-up') this.store.update((state) => chatsListed(state, result.summaries));
        const again: Record<string, string | null> = {};
        const againChanges: Record<string, number> = {};
        for (const [chatId, answer] of Object.entries(result.chats)) {
          if (!(chatId in request)) continue;
          const next = this.absorbPage(chatId, answer, request[chatId] === null, heldBefore.get(chatId) ?? 0, purpose);
          if (next) again[chatId] = next;
          if (chatId in changes && this.absorbChanges(chatId, answer, aheadBefore.get(chatId) ?? 0)) {
            againChanges[chatId] = answer.changeSeq;
            if (!next) again[chatId] = this.cursorOf(chatId);
          }
        }
        if (Object.keys(again).length === 0) break;
        request = again;
        changes = againChanges;
      }
    } finally {
      for (const chatId of chatIds) this.syncing.delete(chatId);
    }
    // Live messages past a new hole may have come in meanwhile.
    for (const chatId of chatIds) this.watchForHole(chatId);
    this.receipts.confirmDeliveries(purpose === 'catch-up' ? undefined : chatIds);
  }

  /** The change cursors of the chats given: where each has applied every change up to. */
  changeCursorsOf(chatIds: readonly string[]): Record<string, number> {
    const positions = this.store.snapshot().changePositions;
    const cursors: Record<string, number> = {};
    for (const chatId of chatIds) {
      const cursor = changeCursor(positions, chatId);
      if (cursor !== undefined) cursors[chatId] = cursor;
    }
    return cursors;
  }

  /** Merges one chat's page of a sync answer; returns the cursor for the next round, if one is needed. */
  private absorbPage(chatId: string, page: SyncAnswer, latestPage: boolean, heldBefore: number, purpose: SyncPurpose): string | null {
    const state = this.store.snapshot();
    if (!state.chats.byId[chatId] || !state.timelines[chatId]?.loaded) return null;
    const arrived = this.store.updateWith((current) =>
      latestPage ? latestPageReceived(current, chatId, page) : messagesReceived(current, chatId, page.messages),
    );
    // Messages the chat's summary already covered are history (a gap below a window loaded around a quote), not news.
    const summarized = state.chats.summarizedSeq[chatId] ?? 0;
    if (purpose === 'fill') for (const message of arrived) if (message.seq > summarized) this.arrivals.arrived(message);
    const last = page.messages.at(-1);
    // With more to come, everything up to this page's end is held now; the rest comes next round.
    const more = page.hasMore && !latestPage && last;
    const upTo = more ? last.seq : Math.max(last?.seq ?? 0, heldBefore);
    this.store.update((current) => ({ ...current, timelines: raiseWatermark(current.timelines, chatId, upTo) }));
    return more ? last.id : null;
  }

  /**
   * Applies one chat's changes of a sync answer; true when more follow. Answered completely, the
   * position also covers the changes applied past a gap before asking: the server had them all.
   */
  private absorbChanges(chatId: string, answer: SyncAnswer, aheadBefore: number): boolean {
    if (!this.store.timelines()[chatId]?.loaded) return false;
    const reached = answer.hasMoreChanges ? answer.changeSeq : Math.max(answer.changeSeq, aheadBefore);
    this.store.update((state) => changesSynced(state, chatId, answer.changes, reached));
    return answer.hasMoreChanges;
  }

  private cursorOf(chatId: string): string | null {
    const timeline = this.store.timelines()[chatId];
    return timeline ? syncCursor(timeline) : null;
  }

  /** True when the chat misses messages below a live one, or changes below a live one. */
  private hasGap(chatId: string): boolean {
    const timeline = this.store.timelines()[chatId];
    if (!timeline?.loaded) return false;
    return hasHoleAbove(timeline.watermark, timeline.list) || hasChangeGap(this.store.snapshot().changePositions, chatId);
  }

  /** Asks for the messages (or changes) missing below a live one, unless they turn up by then. */
  private watchForHole(chatId: string): void {
    if (!this.hasGap(chatId)) {
      clearTimeout(this.holeTimers.get(chatId));
      this.holeTimers.delete(chatId);
      return;
    }
    if (this.holeTimers.has(chatId) || this.syncing.has(chatId)) return;
    const timer = setTimeout(() => {
      this.holeTimers.delete(chatId);
      void this.fillHole(chatId);
    }, CHAT_TIMING.holeFillDelayMs);
    this.holeTimers.set(chatId, timer);
  }

  private async fillHole(chatId: string): Promise<void> {
    if (!this.hasGap(chatId) || this.syncing.has(chatId) || this.connection.state() !== 'online') return;
    try {
      await this.sync({ [chatId]: this.cursorOf(chatId) }, 'fill', this.changeCursorsOf([chatId]));
    } catch {
      // Offline or refused: the next live message (or change) past the hole, or the next catch-up, asks again.
    }
  }
}
