import { DestroyRef, Injectable, inject } from '@angular/core';
import type { HistoryPage } from '@shared';
import { ArrivalsService } from '../chats/arrivals.service';
import { ReceiptsService } from '../chats/receipts.service';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { changedTimelines, chatsListed, latestPageReceived, messagesReceived } from '../session/state/session-state';
import { hasHoleAbove, newestStoredSeq } from '../timeline/state/message-watermark';
import { raiseWatermark, syncCursor } from '../timeline/state/timelines';

/** A catch-up after (re)connecting, or a fill of the hole below a live message. */
export type SyncPurpose = 'catch-up' | 'fill';

const MAX_SYNC_ROUNDS = 10;

/**
 * Brings timelines up to date from their watermarks. A live message past a hole waits a moment
 * for the missing ones, then the chat is synced from its watermark; so is every chat on reconnect.
 */
@Injectable()
export class TimelineSync {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly receipts = inject(ReceiptsService);
  private readonly arrivals = inject(ArrivalsService);
  /** chatId → the pending request for messages missing below a live one. */
  private readonly holeTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Chats with a `sync` under way; their holes wait for its answer. */
  private readonly syncing = new Set<string>();

  constructor() {
    this.store.onChange(({ before, after }) => {
      for (const chatId of changedTimelines(before, after)) this.watchForHole(chatId);
    });
    inject(DestroyRef).onDestroy(() => this.cancelHoles());
  }

  /** The catch-up after the next authentication starts from every watermark anyway. */
  cancelHoles(): void {
    for (const timer of this.holeTimers.values()) clearTimeout(timer);
    this.holeTimers.clear();
  }

  /**
   * Asks for what each chat holds after its cursor (null: the latest page), page by page, and
   * merges it. Once the server has answered a chat completely, its watermark rises to the newest
   * seq returned or held before asking: the answer is authoritative, so a seq it left out does not
   * exist (a refused duplicate in MongoDB) and is not asked for again.
   * A `fill` comes after a live message past a hole; what it brings counts as arriving live.
   */
  async sync(cursors: Record<string, string | null>, purpose: SyncPurpose): Promise<void> {
    const chatIds = Object.keys(cursors);
    const heldBefore = new Map(chatIds.map((id) => [id, newestStoredSeq(this.store.timelines()[id]?.list ?? [])]));
    for (const chatId of chatIds) this.syncing.add(chatId);
    try {
      let request = cursors;
      for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
        const result = await this.connection.request('sync', { chats: request });
        if (round === 0 && purpose === 'catch-up') this.store.update((state) => chatsListed(state, result.summaries));
        const again: Record<string, string | null> = {};
        for (const [chatId, page] of Object.entries(result.chats)) {
          if (!(chatId in request)) continue;
          const next = this.absorbPage(chatId, page, request[chatId] === null, heldBefore.get(chatId) ?? 0, purpose);
          if (next) again[chatId] = next;
        }
        if (Object.keys(again).length === 0) break;
        request = again;
      }
    } finally {
      for (const chatId of chatIds) this.syncing.delete(chatId);
    }
    // Live messages past a new hole may have come in meanwhile.
    for (const chatId of chatIds) this.watchForHole(chatId);
    this.receipts.confirmDeliveries(purpose === 'catch-up' ? undefined : chatIds);
  }

  /** Merges one chat's page of a sync answer; returns the cursor for the next round, if one is needed. */
  private absorbPage(chatId: string, page: HistoryPage, latestPage: boolean, heldBefore: number, purpose: SyncPurpose): string | null {
    const state = this.store.snapshot();
    if (!state.chats.byId[chatId] || !state.timelines[chatId]?.loaded) return null;
    const arrived = this.store.updateWith((current) =>
      latestPage ? latestPageReceived(current, chatId, page) : messagesReceived(current, chatId, page.messages),
    );
    if (purpose === 'fill') for (const message of arrived) this.arrivals.arrived(message);
    const last = page.messages.at(-1);
    // With more to come, everything up to this page's end is held now; the rest comes next round.
    const more = page.hasMore && !latestPage && last;
    const upTo = more ? last.seq : Math.max(last?.seq ?? 0, heldBefore);
    this.store.update((current) => ({ ...current, timelines: raiseWatermark(current.timelines, chatId, upTo) }));
    return more ? last.id : null;
  }

  /** Asks for the messages missing below a live one, unless they turn up by then. */
  private watchForHole(chatId: string): void {
    const timeline = this.store.timelines()[chatId];
    if (!timeline?.loaded || !hasHoleAbove(timeline.watermark, timeline.list)) {
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
    const timeline = this.store.timelines()[chatId];
    if (!timeline?.loaded || !hasHoleAbove(timeline.watermark, timeline.list) || this.syncing.has(chatId)) return;
    if (this.connection.state() !== 'online') return;
    try {
      await this.sync({ [chatId]: syncCursor(timeline) }, 'fill');
    } catch {
      // Offline or refused: the next live message past the hole, or the next catch-up, asks again.
    }
  }
}

