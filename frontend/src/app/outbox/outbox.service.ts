import { DestroyRef, Injectable, inject } from '@angular/core';
// Straight from its file: importing a value through '@shared' would evaluate the zod schemas in the
// first chunk, before zod-config.ts has switched zod's eval probe off (the CSP forbids eval).
import { newClientId } from '@shared/client-id';
import { showPending } from '../chats/state/chats';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { RequestError } from '../connection/socket-request';
import { SessionStore } from '../session/session-store';
import { messageAcked, removedChats } from '../session/state/session-state';
import { pendingMessage } from '../timeline/state/chat-message';
import { addPending, discardFailed, markFailed } from '../timeline/state/timelines';
import { TypingService } from '../typing/typing.service';

interface OutboxEntry {
  chatId: string;
  clientId: string;
  body: string;
  attempts: number;
}

/** Errors after which the same message is sent again; any other refusal is final. */
const RETRYABLE_CODES = new Set(['timeout', 'rate_limited', 'store_unavailable', 'internal']);

/**
 * Our messages on their way: shown at once as pending, sent one at a time and in order while
 * online, and resent with the same clientId after a lost ack, so the server stores each once.
 */
@Injectable()
export class Outbox {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly typing = inject(TypingService);
  private readonly queue = new Map<string, OutboxEntry>();
  private pumping = false;
  private ended = false;

  constructor() {
    this.store.onChange(({ before, after }) => {
      const gone = new Set(removedChats(before, after));
      if (gone.size === 0) return;
      for (const [clientId, entry] of this.queue) if (gone.has(entry.chatId)) this.queue.delete(clientId);
    });
    inject(DestroyRef).onDestroy(() => {
      this.ended = true;
      this.queue.clear();
    });
  }

  /** Shows the message as pending and queues it; it goes out now when online, else after the next authentication. */
  send(chatId: string, body: string): void {
    const text = body.trim();
    if (!text) return;
    const clientId = newClientId();
    const pending = pendingMessage(chatId, this.store.me().id, clientId, text, new Date());
    this.store.update((state) => ({
      ...state,
      timelines: addPending(state.timelines, pending),
      chats: showPending(state.chats, pending),
    }));
    this.typing.stopTyping(chatId);
    this.queue.set(clientId, { chatId, clientId, body: text, attempts: 0 });
    void this.pump();
  }

  /** Removes a message the server refused from the list. */
  discardFailed(chatId: string, clientId: string): void {
    this.store.update((state) => ({ ...state, timelines: discardFailed(state.timelines, chatId, clientId) }));
  }

  /** Sends queued messages one at a time, in order, while online. */
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

  /** One attempt; false when the connection is gone and sending must wait. */
  private async sendOne(entry: OutboxEntry): Promise<boolean> {
    entry.attempts++;
    try {
      const { chatId, clientId, body } = entry;
      const { message } = await this.connection.request('chat:message', { chatId, clientId, body });
      this.queue.delete(clientId);
      this.store.update((state) => messageAcked(state, message));
    } catch (error) {
      const failure = error instanceof RequestError ? error : new RequestError('internal', 'Not sent.');
      if (failure.code === 'offline') return false;
      if (!RETRYABLE_CODES.has(failure.code)) {
        this.queue.delete(entry.clientId);
        this.store.update((state) => ({
          ...state,
          timelines: markFailed(state.timelines, entry.chatId, entry.clientId, failure.message),
        }));
      } else if (failure.code !== 'timeout') {
        await new Promise((resolve) => setTimeout(resolve, CHAT_TIMING.retryBusyMs));
      }
    }
    return true;
  }
}
