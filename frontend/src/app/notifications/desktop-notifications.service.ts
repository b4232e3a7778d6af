import { DestroyRef, Injectable, inject } from '@angular/core';
import type { ChatSummary, Message } from '@shared';
import { ChatLayoutService } from '../chat/chat-layout.service';
import { ChatNavigator } from '../chat/chat-navigator.service';
import { chatTitle } from '../chat/chat-title';
import { ArrivalsService } from '../chats/arrivals.service';
import { fullName } from '../core/full-name';
import { mentionNameOf } from '../mentions/state/mention-names';
import { SessionStore } from '../session/session-store';
import { NotificationPrefs } from './notification-prefs';
import { NotificationSound } from './notification-sound';
import { notifyReason, type NotifyReason } from './state/notify-decision';
import { messageLine } from '../attachments/state/attachment-summary';

/** How much of a message a notification shows. */
const BODY_LENGTH = 140;

/**
 * Browser notifications for direct messages and mentions (notify-decision.ts says which), while
 * the tab is hidden or that chat is not open, once the user turned them on. Clicking one brings
 * the window forward and opens the chat. A chat's notification replaces the previous one of the
 * same chat; all of them close at sign-out. The optional sound plays with each.
 */
@Injectable()
export class DesktopNotifications {
  private readonly store = inject(SessionStore);
  private readonly layout = inject(ChatLayoutService);
  private readonly navigator = inject(ChatNavigator);
  private readonly prefs = inject(NotificationPrefs);
  private readonly sound = inject(NotificationSound);
  private readonly shown = new Map<string, Notification>();

  constructor() {
    const subscription = inject(ArrivalsService).incoming.subscribe((message) => this.onIncoming(message));
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
      for (const notification of this.shown.values()) notification.close();
      this.shown.clear();
    });
  }

  private onIncoming(message: Message): void {
    const chat = this.store.chatById(message.chatId);
    const reason = notifyReason(message, chat, this.store.me().id, {
      hidden: !this.layout.pageVisible(),
      openChatIds: this.layout.visibleIds(),
    });
    if (!reason || !chat) return;
    if (this.prefs.sound()) this.sound.play();
    if (this.prefs.permission() !== 'granted') return;
    void this.show(message, chat, reason);
  }

  private async show(message: Message, chat: ChatSummary, reason: NotifyReason): Promise<void> {
    // The Markdown renderer is loaded with the chat page, not with the session: wait for it here.
    const { markdownText } = await import('../chat/markdown');
    const userById = (id: string) => this.store.userById(id);
    const sender = this.store.userById(message.senderId);
    const senderName = sender ? fullName(sender) : 'Someone';
    const title = reason === 'mention'
      ? chat.kind === 'group'
        ? `${senderName} mentioned you in ${chatTitle(chat, this.store.me().id, userById)}`
        : `${senderName} mentioned you`
      : senderName;
    const text = messageLine(markdownText(message.body, mentionNameOf(userById)), message.attachments);
    let notification: Notification;
    try {
      notification = new Notification(title, {
        body: text.length > BODY_LENGTH ? `${text.slice(0, BODY_LENGTH)}…` : text,
        tag: `parley-${chat.id}`,
      });
    } catch {
      // Some browsers only show notifications from a service worker: nothing to show here then.
      return;
    }
    this.shown.get(chat.id)?.close();
    this.shown.set(chat.id, notification);
    notification.addEventListener('click', () => {
      window.focus();
      this.navigator.openChat(chat.id);
      notification.close();
    });
    notification.addEventListener('close', () => {
      if (this.shown.get(chat.id) === notification) this.shown.delete(chat.id);
    });
  }
}
