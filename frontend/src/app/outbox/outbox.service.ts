import { DestroyRef, Injectable, inject } from '@angular/core';
import type { ReplyQuote } from '@shared';
// Straight from its file: importing a value through '@shared' would evaluate the zod schemas in the
// first chunk, before zod-config.ts has switched zod's eval probe off (the CSP forbids eval).
import { newClientId } from '@shared/client-id';
import { showPending } from '../chats/state/chats';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { RequestError } from '../connection/socket-request';
import { ToastService } from '../core/toast.service';
import { SessionStore } from '../session/session-store';
import { changedLocally, localChangeDone, localChangeFailed } from '../session/state/message-changed';
import { messageAcked, removedChats } from '../session/state/session-state';
import { pendingMessage } from '../timeline/state/chat-message';
import type { LocalChange } from '../timeline/state/local-change';
import { heldMessage } from '../timeline/state/timeline-changes';
import { addPending, discardFailed, markFailed } from '../timeline/state/timelines';
import { TypingService } from '../typing/typing.service';
import { sendEntry, type ChangeEntry, type OutboxEntry } from './outbox-entry';

/** Errors after which the same request is sent again; any other refusal is final. */
const RETRYABLE_CODES = new Set(['timeout', 'rate_limited', 'store_unavailable', 'internal']);

/**
 * Our messages and our changes to messages (edits, deletes, reactions) on their way: shown at
 * once as pending, sent one at a time and in order while online, and resent after a lost ack —
 * a message with the same clientId, a change as the same wanted state — so the server applies
 * each once.
 */
@Injectable()
export class Outbox {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly typing = inject(TypingService);
  private readonly toasts = inject(ToastService);
  private readonly queue = new Map<string, OutboxEntry>();
  private pumping = false;
  private ended = false;

  constructor() {
    this.store.onChange(({ before, after }) => {
      const gone = new Set(removedChats(before, after));
      if (gone.size === 0) return;
      for (const [key, entry] of this.queue) if (gone.has(entry.chatId)) this.queue.delete(key);
    });
    inject(DestroyRef).onDestroy(() => {
      this.ended = true;
      this.queue.clear();
    });
  }

  /**
   * Shows the message as pending and queues it; it goes out now when online, else after the next
   * authentication. `replyTo`: the id of the message in the chat it answers.
   */
  send(chatId: string, body: string, replyTo?: string): void {
    const text = body.trim();
    if (!text) return;
    const clientId = newClientId();
    const pending = pendingMessage(chatId, this.store.me().id, clientId, text, new Date(), replyTo ? this.quoteOf(chatId, replyTo) : null);
    this.store.update((state) => ({
      ...state,
      timelines: addPending(state.timelines, pending),
      chats: showPending(state.chats, pending),
    }));
    this.typing.stopTyping(chatId);
    this.queue.set(clientId, { type: 'message', key: clientId, chatId, body: text, ...(replyTo ? { replyTo } : {}), attempts: 0 });
    void this.pump();
  }

  /** Shows a change of ours to a stored message as pending and queues it, like a message. */
  change(chatId: string, messageId: string, change: LocalChange): void {
    this.store.update((state) => changedLocally(state, chatId, messageId, change));
    this.queue.set(change.id, { type: 'change', key: change.id, chatId, messageId, change, attempts: 0 });
    void this.pump();
  }

  /** Removes a message the server refused from the list. */
  discardFailed(chatId: string, clientId: string): void {
    this.store.update((state) => ({ ...state, timelines: discardFailed(state.timelines, chatId, clientId) }));
  }

  /** Sends what is queued one at a time, in order, while online. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const entry = this.queue.values().next().value;
        if (!entry || this.ended || this.connection.state() !== 'online') return;
        if (!(await this.sendOne(entry))) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The quote a pending reply shows until the server sends its own. */
  private quoteOf(chatId: string, messageId: string): ReplyQuote {
    const original = heldMessage(this.store.timelines(), chatId, messageId);
    const deleted = original?.deletedAt != null;
    return { messageId, senderId: original?.senderId ?? null, preview: deleted ? '' : (original?.body ?? ''), deleted };
  }

  /** One attempt; false when the connection is gone and sending must wait. */
  private async sendOne(entry: OutboxEntry): Promise<boolean> {
    entry.attempts++;
    try {
      const { message } = await sendEntry(this.connection, entry);
      this.queue.delete(entry.key);
      if (entry.type === 'message') this.store.update((state) => messageAcked(state, message));
      else this.store.update((state) => localChangeDone(state, entry.key, entry.change.kind, message));
    } catch (error) {
      const failure = error instanceof RequestError ? error : new RequestError('internal', 'Not sent.');
      if (failure.code === 'offline') return false;
      if (!RETRYABLE_CODES.has(failure.code)) {
        this.queue.delete(entry.key);
        if (entry.type === 'message') this.refused(entry.chatId, entry.key, failure.message);
        else this.changeRefused(entry, failure.message);
      } else if (failure.code !== 'timeout') {
        await new Promise((resolve) => setTimeout(resolve, CHAT_TIMING.retryBusyMs));
      }
    }
    return true;
  }

  private refused(chatId: string, clientId: string, reason: string): void {
    this.store.update((state) => ({ ...state, timelines: markFailed(state.timelines, chatId, clientId, reason) }));
  }

  private changeRefused(entry: ChangeEntry, reason: string): void {
    this.store.update((state) => localChangeFailed(state, entry.chatId, entry.messageId, entry.key, reason));
    this.toasts.error(reason);
  }
}
