import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { ChatSummary, UserWithPresence } from '@shared';
import { totalBadge } from '../chats/state/badges';
import { chatsByActivity, directChatWith } from '../chats/state/chats';
import { messageReceipts, type MessageReceipts } from '../chats/state/tick-state';
import { othersByPresence } from '../people/state/people';
import type { ChatMessage } from '../timeline/state/chat-message';
import { SESSION_START } from './session-start';
import { initialSessionState, type SessionState } from './state/session-state';

/** What one change did: the state before and after it. */
export interface StateChange {
  before: SessionState;
  after: SessionState;
}

type Listener = (change: StateChange) => void;

/**
 * The session's state, changed only by transitions (pure functions from one state to the next).
 * Components read its signals; effects react to changes through `onChange`.
 */
@Injectable()
export class SessionStore {
  private readonly state = signal<SessionState>(initialSessionState(inject(SESSION_START).user));
  private readonly listeners: Listener[] = [];

  constructor() {
    inject(DestroyRef).onDestroy(() => (this.listeners.length = 0));
  }

  /** The signed-in user. */
  readonly me = computed(() => this.state().me);
  /** Everyone but the signed-in user: online first, then by name. */
  readonly users = computed(() => othersByPresence(this.state().people, this.me().id));
  readonly blockedUserIds = computed(() => this.state().people.blocked);
  /** The user's chats, most recent activity first. */
  readonly chats = computed(() => chatsByActivity(this.state().chats));
  readonly timelines = computed(() => this.state().timelines);
  /** chatId → ids of the other members typing there now. */
  readonly typing = computed(() => this.state().typing);
  /** Unread messages and mentions across the chats, by each chat's notification level (muted chats add nothing). */
  readonly badge = computed(() => totalBadge(this.chats()));
  readonly totalUnread = computed(() => this.badge().count);

  /** The whole state, for effects that work out what to do from it. */
  snapshot(): SessionState {
    return this.state();
  }

  update(transition: (state: SessionState) => SessionState): void {
    const before = this.state();
    const after = transition(before);
    if (after === before) return;
    this.state.set(after);
    for (const listener of [...this.listeners]) listener({ before, after });
  }

  /** Like `update`, for a transition that also says what it did. */
  updateWith<R>(transition: (state: SessionState) => readonly [SessionState, R]): R {
    let result!: R;
    this.update((state) => {
      const [next, outcome] = transition(state);
      result = outcome;
      return next;
    });
    return result;
  }

  /** Calls `listener` after every change, until the session ends or the returned function is called. */
  onChange(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  userById(userId: string | null): UserWithPresence | undefined {
    return userId ? this.state().people.users.get(userId) : undefined;
  }

  chatById(chatId: string): ChatSummary | undefined {
    return this.state().chats.byId[chatId];
  }

  /** The direct chat between the signed-in user and `userId`, if one is listed. */
  directChatWith(userId: string): ChatSummary | undefined {
    return directChatWith(this.state().chats, userId);
  }

  /** The ticks and how many of the other members have one of our messages; tracks receipts. */
  receiptsOf(message: ChatMessage): MessageReceipts {
    return messageReceipts(message, this.chatById(message.chatId)?.members ?? [], this.me().id);
  }
}
