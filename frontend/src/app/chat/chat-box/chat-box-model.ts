import { Injectable, computed, inject, signal, type Signal } from '@angular/core';
import { Connection } from '../../connection/connection.service';
import { SessionStore } from '../../session/session-store';
import type { Timeline } from '../../timeline/state/timelines';
import { chatTitle, directPartner } from '../chat-title';
import { typingText } from '../typing-text';

/** One chat box's chat, worked out once for its header, message list and composer. */
@Injectable()
export class ChatBoxModel {
  private readonly store = inject(SessionStore);
  private readonly connection = inject(Connection);
  private source: Signal<string> = signal('');

  readonly chatId = computed(() => this.source());
  readonly me = this.store.me;
  readonly chat = computed(() => this.store.chatById(this.chatId()));
  readonly timeline = computed<Timeline | undefined>(() => this.store.timelines()[this.chatId()]);
  readonly loaded = computed(() => this.timeline()?.loaded ?? false);
  readonly isGroup = computed(() => this.chat()?.kind === 'group');
  readonly partner = computed(() => {
    const chat = this.chat();
    return chat ? directPartner(chat, this.me().id, (id) => this.store.userById(id)) : undefined;
  });
  readonly title = computed(() => {
    const chat = this.chat();
    return chat ? chatTitle(chat, this.me().id, (id) => this.store.userById(id)) : 'Chat';
  });
  readonly subtitle = computed(() => {
    const chat = this.chat();
    if (!chat) return '';
    if (chat.kind === 'group') {
      const n = chat.members.length;
      const kind = chat.visibility === 'public' ? 'public room' : 'private group';
      return `${kind} · ${n} member${n === 1 ? '' : 's'}${chat.hasPassword ? ' · password protected' : ''}`;
    }
    const partner = this.partner();
    if (!partner) return '';
    const online = this.partnerOnline();
    return online === null ? 'presence unknown while you are offline' : online ? 'online' : 'offline';
  });
  /** The partner's presence: null while we are offline ourselves (unknown). */
  readonly partnerOnline = computed(() => (this.connection.state() === 'online' ? (this.partner()?.online ?? false) : null));
  readonly isAdmin = computed(() => this.chat()?.members.find((m) => m.userId === this.me().id)?.role === 'admin');
  readonly partnerBlocked = computed(() => {
    const partner = this.partner();
    return !!partner && this.store.blockedUserIds().has(partner.id);
  });
  readonly typingLine = computed(() => {
    const ids = this.store.typing()[this.chatId()] ?? [];
    return typingText(ids.map((id) => this.store.userById(id)?.firstName ?? 'Someone'));
  });

  /** The box hands over its `chatId` input once, when it is created. */
  follow(chatId: Signal<string>): void {
    this.source = chatId;
  }
}
