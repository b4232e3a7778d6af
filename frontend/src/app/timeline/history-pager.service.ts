import { Injectable, inject, signal } from '@angular/core';
import { CHAT_TIMING } from '../connection/chat-timing';
import { holdsFirstUnread, pageBackTo } from '../reading/state/reading-position';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { firstStoredMessage } from './state/merge-messages';
import { heldMessage } from './state/timeline-changes';
import { mergeAround, prependOlder } from './state/timelines';

/** Pages back through a chat's history, one page at a time. */
@Injectable()
export class HistoryPager {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly loading = signal<ReadonlySet<string>>(new Set());

  /** Chats whose previous page is on its way. */
  readonly loadingOlder = this.loading.asReadonly();

  /** Loads the page of messages before the oldest one shown. */
  async loadOlder(chatId: string): Promise<void> {
    const timeline = this.store.timelines()[chatId];
    if (!timeline?.loaded || !timeline.hasMore || this.loading().has(chatId)) return;
    const oldest = firstStoredMessage(timeline.list);
    this.setLoading(chatId, true);
    try {
      const page = await this.connection.request('chat:history', {
        chatId,
        limit: CHAT_TIMING.pageSize,
        ...(oldest ? { before: oldest.id } : {}),
      });
      this.store.update((state) => ({ ...state, timelines: prependOlder(state.timelines, chatId, page) }));
    } finally {
      this.setLoading(chatId, false);
    }
  }

  /**
   * Pages back until the chat's held messages reach the first one after `readSeq` (the first
   * unread), so a chat opens where the reader left off. The client knows only that message's
   * seq, not its id, so it asks for the pages before the oldest one held, each as large as
   * needed (up to the server's largest page): the held messages stay one unbroken run. At most `maxPages`.
   */
  async loadBackTo(chatId: string, readSeq: number, maxPages = 4): Promise<void> {
    for (let page = 0; page < maxPages; page += 1) {
      const timeline = this.store.timelines()[chatId];
      if (!timeline?.loaded || holdsFirstUnread(timeline.list, readSeq, timeline.hasMore)) return;
      const oldest = firstStoredMessage(timeline.list);
      if (!oldest || this.loading().has(chatId)) return;
      this.setLoading(chatId, true);
      try {
        const older = await this.connection.request('chat:history', {
          chatId,
          before: oldest.id,
          limit: pageBackTo(oldest.seq, readSeq, CHAT_TIMING.largestPage),
        });
        this.store.update((state) => ({ ...state, timelines: prependOlder(state.timelines, chatId, older) }));
      } finally {
        this.setLoading(chatId, false);
      }
    }
  }

  /**
   * Loads the page around a message the client does not hold (a quote's original) into the
   * chat's timeline; a gap left between it and the newer messages held fills like any hole.
   */
  async loadAround(chatId: string, messageId: string): Promise<void> {
    const timeline = this.store.timelines()[chatId];
    if (!timeline?.loaded || heldMessage(this.store.timelines(), chatId, messageId)) return;
    const page = await this.connection.request('chat:history', { chatId, around: messageId, limit: CHAT_TIMING.pageSize });
    this.store.update((state) => ({ ...state, timelines: mergeAround(state.timelines, chatId, page) }));
  }

  private setLoading(chatId: string, loading: boolean): void {
    this.loading.update((set) => {
      const next = new Set(set);
      if (loading) next.add(chatId);
      else next.delete(chatId);
      return next;
    });
  }
}
