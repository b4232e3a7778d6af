import { Injectable, inject, signal } from '@angular/core';
import { CHAT_TIMING } from '../connection/chat-timing';
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
