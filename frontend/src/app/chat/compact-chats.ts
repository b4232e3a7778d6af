import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { removedChats } from '../session/state/session-state';
import { Announcer } from './announcer';
import { ChatBox } from './chat-box/chat-box';
import { ChatLayoutService } from './chat-layout.service';
import { ChatList } from './chat-list';
import { ChatNavigator } from './chat-navigator.service';
import { CreateGroupDialog } from './create-group-dialog';
import { JoinRoomDialog } from './join-room-dialog';
import { UsersList } from './users-list';

/**
 * The chats in a small panel (the embeddable widget): the chat list and the people, or one open
 * chat with a back button (the layout is always narrow there). The same list, chat box and
 * services as the chat page.
 */
@Component({
  selector: 'app-compact-chats',
  imports: [ChatList, UsersList, ChatBox, CreateGroupDialog, JoinRoomDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (connection.state() !== 'online') {
      <div class="connection" role="status" data-testid="connection-state" [attr.data-state]="connection.state()">
        {{ connection.state() === 'connecting' ? 'Connecting…' : 'Offline: messages you send go out when the connection returns.' }}
      </div>
    }
    @if (openChatId(); as chatId) {
      <app-chat-box class="box" [chatId]="chatId" />
    } @else {
      <div class="lists">
        <app-chat-list (openChat)="navigator.openChat($event)" (joinRoom)="joiningRoom.set(true)" (newRoom)="creatingRoom.set(true)" />
        <app-users-list [(selected)]="groupSelection" (openUser)="openUser($event)" (startGroup)="creatingRoom.set(true)" />
      </div>
    }
    <div class="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">{{ announcer.text() }}</div>
    @if (creatingRoom()) {
      <app-create-group-dialog [members]="[]" initialVisibility="public" (created)="navigator.openChat($event)" (closed)="creatingRoom.set(false)" />
    }
    @if (joiningRoom()) {
      <app-join-room-dialog (joined)="navigator.openChat($event)" (closed)="joiningRoom.set(false)" />
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
    }
    .connection {
      flex: none;
      padding: 6px 12px;
      background: var(--warning-soft);
      color: var(--warning);
      font-size: 13px;
    }
    .lists {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      background: var(--sidebar);
    }
    .box {
      flex: 1;
      min-height: 0;
    }
  `,
})
export class CompactChats {
  protected readonly store = inject(SessionStore);
  protected readonly connection = inject(Connection);
  protected readonly announcer = inject(Announcer);
  protected readonly navigator = inject(ChatNavigator);
  private readonly layout = inject(ChatLayoutService);

  protected readonly groupSelection = signal<readonly string[]>([]);
  protected readonly creatingRoom = signal(false);
  protected readonly joiningRoom = signal(false);
  /** The one chat on screen, if any: the layout is narrow, so at most one is visible. */
  protected readonly openChatId = computed(() => this.layout.visibleIds()[0] ?? null);

  constructor() {
    const stopWatching = this.store.onChange(({ before, after }) => {
      for (const chatId of removedChats(before, after)) this.layout.close(chatId);
    });
    inject(DestroyRef).onDestroy(() => {
      stopWatching();
      this.layout.reset();
    });
  }

  protected openUser(userId: string): void {
    void this.navigator.openDirect(userId);
  }
}
