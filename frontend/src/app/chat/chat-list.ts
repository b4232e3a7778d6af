import { ChangeDetectionStrategy, Component, computed, inject, output } from '@angular/core';
import type { ChatSummary } from '@shared';
import { chatPreview } from '../chats/state/chat-preview';
import { Connection } from '../connection/connection.service';
import { chatBadge, badgeText } from '../chats/state/badges';
import { mentionNameOf } from '../mentions/state/mention-names';
import { SessionStore } from '../session/session-store';
import { ChatLayoutService } from './chat-layout.service';
import { listTime } from './chat-time';
import { chatTitle, directPartner } from './chat-title';
import { markdownText } from './markdown';
import { noticeText } from './notice-text';
import { RovingFocus } from './roving-focus';
import { UserAvatar } from './user-avatar';
import { messageLine } from '../attachments/state/attachment-summary';
import type { ChatMessage } from '../timeline/state/chat-message';

interface ChatRow {
  chat: ChatSummary;
  title: string;
  preview: string;
  /** The preview is ours, still on its way. */
  pending: boolean;
  time: string;
  partner: ReturnType<typeof directPartner>;
  /** The unread badge by our notification level (badges.ts): its text, or null for none. */
  badge: string | null;
  /** Unread messages that mention us, shown as an "@" badge. */
  mentions: number;
  muted: boolean;
}

/** The side panel: every chat, most recent first, with its last line and unread count. */
@Component({
  selector: 'app-chat-list',
  imports: [UserAvatar, RovingFocus],
  templateUrl: './chat-list.html',
  styleUrl: './chat-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatList {
  private readonly store = inject(SessionStore);
  private readonly connection = inject(Connection);
  protected readonly layout = inject(ChatLayoutService);

  readonly openChat = output<string>();
  readonly joinRoom = output<void>();
  /** Start a group room with nobody picked yet; others find it and join. */
  readonly newRoom = output<void>();

  /** The chat whose box has the user's attention: it stands out from the other open ones. */
  protected readonly focusedId = computed(() => {
    const id = this.layout.activeId();
    return id && this.layout.visibleIds().includes(id) ? id : null;
  });

  /** Presence is only known while we are connected; offline, nobody is shown online. */
  protected readonly presenceKnown = computed(() => this.connection.state() === 'online');

  protected readonly rows = computed<ChatRow[]>(() => {
    const timelines = this.store.timelines();
    const myId = this.store.me().id;
    const userById = (id: string) => this.store.userById(id);
    const nameOf = (id: string | undefined) =>
      !id ? 'Someone' : id === myId ? 'You' : (this.store.userById(id)?.firstName ?? 'Someone');
    return this.store.chats().map((chat) => {
      const { message: last, pending } = chatPreview(chat, timelines[chat.id]?.list ?? []);
      const badge = chatBadge(chat);
      let preview = '';
      if (last?.kind === 'notice' && last.notice) preview = noticeText(last.notice, nameOf);
      else if (last) {
        const prefix = pending ? 'Sending: ' : last.senderId === myId ? 'You: ' : chat.kind === 'group' ? `${nameOf(last.senderId ?? undefined)}: ` : '';
        const carried = last.attachments?.length ? last.attachments : (last as ChatMessage).uploads;
        preview = prefix + (last.deletedAt ? 'Message deleted' : messageLine(markdownText(last.body, mentionNameOf(userById)), carried));
      }
      return {
        chat,
        title: chatTitle(chat, myId, userById),
        preview: preview || (chat.kind === 'group' ? 'No messages yet' : 'Say hello'),
        pending,
        time: listTime(last?.createdAt ?? chat.lastActivityAt),
        partner: directPartner(chat, myId, userById),
        badge: badge.count > 0 ? badgeText(badge.count) : null,
        mentions: badge.mentions,
        muted: chat.notify === 'muted',
      };
    });
  });
}
