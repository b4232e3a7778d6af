import { Injectable, computed, inject, type Signal } from '@angular/core';
import type { ChangeKind } from '@shared';
import { newClientId } from '@shared/client-id';
import type { PickedFile } from '../attachments/state/picked-files';
import { ChatActions } from '../chats/chat-actions.service';
import { Outbox } from '../outbox/outbox.service';
import { SessionStore } from '../session/session-store';
import type { ChatMessage } from './state/chat-message';
import type { LocalChange } from './state/local-change';
import { heldMessage } from './state/timeline-changes';
import { HistoryPager } from './history-pager.service';

/**
 * What the user does with messages: send (optionally as a reply), edit, delete, react, and jump
 * to a quoted original. Sends and changes go through the outbox: shown at once, marked pending
 * (`ChatMessage.local` for a message, `ChatMessage.pendingChange` for a change) until the server
 * acks them, queued while offline and sent after the next authentication. A refused change is
 * taken back: the message shows its stored state again with `changeError`, and a toast says why.
 *
 * Pending state: read `message.pendingChange` on the ChatMessage the timeline holds, or
 * `pendingChange(chatId, messageId)`, a signal (one per message, kept for the session) that is
 * 'edit', 'delete' or 'react' while such a change of ours waits for its ack, else null.
 */
@Injectable()
export class MessageActions {
  private readonly store = inject(SessionStore);
  private readonly outbox = inject(Outbox);
  private readonly pager = inject(HistoryPager);
  private readonly chats = inject(ChatActions);
  private readonly pendingSignals = new Map<string, Signal<ChangeKind | null>>();

  /**
   * Sends a message; `replyTo`: the id of the message in the same chat it answers. With `files`
   * the body is their optional caption; the message goes once they are uploaded.
   */
  send(chatId: string, body: string, replyTo?: string, files: readonly PickedFile[] = []): void {
    this.outbox.send(chatId, body, replyTo, files);
  }

  /** Replaces the body of one of our text messages; an empty or unchanged body does nothing. */
  edit(chatId: string, messageId: string, body: string): void {
    const text = body.trim();
    const message = this.changeable(chatId, messageId);
    if (!message || !text || message.kind !== 'text' || message.senderId !== this.store.me().id || message.body === text) return;
    this.outbox.change(chatId, messageId, { id: newClientId(), kind: 'edit', body: text, at: new Date().toISOString() });
  }

  /** Deletes a message: our own, or (as a group admin, the server checks) someone else's. */
  remove(chatId: string, messageId: string): void {
    const message = this.changeable(chatId, messageId);
    if (!message) return;
    const by = message.senderId === this.store.me().id ? 'sender' : 'admin';
    this.outbox.change(chatId, messageId, { id: newClientId(), kind: 'delete', by, at: new Date().toISOString() });
  }

  /** Puts our reaction with `emoji` on the message (`on`) or takes it off; asking for the state it has does nothing. */
  react(chatId: string, messageId: string, emoji: string, on: boolean): void {
    const message = this.changeable(chatId, messageId);
    const me = this.store.me().id;
    if (!message) return;
    const has = message.reactions.some((r) => r.emoji === emoji && r.userIds.includes(me));
    if (has === on) return;
    const change: LocalChange = { id: newClientId(), kind: 'react', emoji, on, userId: me };
    this.outbox.change(chatId, messageId, change);
  }

  /**
   * Makes sure the message is held, with messages around it: loads the chat first if needed,
   * then `chat:history {around}`. The newest messages stay; any gap between them and the loaded
   * window fills in order.
   */
  async loadAround(chatId: string, messageId: string): Promise<void> {
    await this.chats.openChat(chatId);
    await this.pager.loadAround(chatId, messageId);
  }

  /** 'edit', 'delete' or 'react' while such a change of ours to the message waits for its ack; else null. */
  pendingChange(chatId: string, messageId: string): Signal<ChangeKind | null> {
    const key = `${chatId}\n${messageId}`;
    let pending = this.pendingSignals.get(key);
    if (!pending) {
      pending = computed(() => heldMessage(this.store.timelines(), chatId, messageId)?.pendingChange ?? null);
      this.pendingSignals.set(key, pending);
    }
    return pending;
  }

  /** A stored, not deleted message the client holds: only those can change. */
  private changeable(chatId: string, messageId: string): ChatMessage | undefined {
    const message = heldMessage(this.store.timelines(), chatId, messageId);
    return message && !message.local && message.deletedAt === null ? message : undefined;
  }
}
