import { DestroyRef, Injectable, inject } from '@angular/core';
import type { TypingEvent } from '@shared';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { setTyping } from './state/typing';

/** Says when we type (throttled), and shows who else is typing until they stop or go quiet. */
@Injectable()
export class TypingService {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly own = new Map<string, { lastSentAt: number; idle: ReturnType<typeof setTimeout> }>();
  private readonly remoteTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.clearTimers());
  }

  /** Someone else started or stopped typing. */
  onRemoteTyping({ chatId, userId, typing }: TypingEvent): void {
    if (userId !== this.store.me().id) this.setRemote(chatId, userId, typing);
  }

  /** The connection dropped: nobody's typing is known any more, and ours is not sent. */
  reset(): void {
    this.clearTimers();
    this.store.update((state) => ({ ...state, typing: {} }));
  }

  /** Call on every keystroke in a chat's input: throttled `typing: true`, `false` after 2 s idle. */
  noteTyping(chatId: string): void {
    if (this.connection.state() !== 'online') return;
    const now = Date.now();
    const current = this.own.get(chatId);
    if (current) clearTimeout(current.idle);
    const lastSentAt = current?.lastSentAt ?? 0;
    const sendNow = !current || now - lastSentAt >= CHAT_TIMING.typingRepeatMs;
    if (sendNow) this.connection.notify('chat:typing', { chatId, typing: true });
    this.own.set(chatId, {
      lastSentAt: sendNow ? now : lastSentAt,
      idle: setTimeout(() => this.stopTyping(chatId), CHAT_TIMING.typingIdleMs),
    });
  }

  /** Says we stopped typing (sent, cleared the input, or went idle). */
  stopTyping(chatId: string): void {
    const current = this.own.get(chatId);
    if (!current) return;
    clearTimeout(current.idle);
    this.own.delete(chatId);
    this.connection.notify('chat:typing', { chatId, typing: false });
  }

  private setRemote(chatId: string, userId: string, typing: boolean): void {
    const key = `${chatId}/${userId}`;
    clearTimeout(this.remoteTimers.get(key));
    this.remoteTimers.delete(key);
    if (typing) {
      this.remoteTimers.set(key, setTimeout(() => this.setRemote(chatId, userId, false), CHAT_TIMING.remoteTypingMs));
    }
    this.store.update((state) => ({ ...state, typing: setTyping(state.typing, chatId, userId, typing) }));
  }

  private clearTimers(): void {
    for (const typing of this.own.values()) clearTimeout(typing.idle);
    for (const timer of this.remoteTimers.values()) clearTimeout(timer);
    this.own.clear();
    this.remoteTimers.clear();
  }
}
