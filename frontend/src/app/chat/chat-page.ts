import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { UserWithPresence } from '@shared';
import { fullName } from '../core/full-name';
import { ArrivalsService } from '../chats/arrivals.service';
import { Connection } from '../connection/connection.service';
import { AuthService } from '../session/auth.service';
import { SessionStore } from '../session/session-store';
import { removedChats } from '../session/state/session-state';
import { ChatBox } from './chat-box/chat-box';
import { ChatLayoutService } from './chat-layout.service';
import { ChatList } from './chat-list';
import { ChatNavigator } from './chat-navigator.service';
import { CreateGroupDialog } from './create-group-dialog';
import { Announcer } from './announcer';
import { JoinRoomDialog } from './join-room-dialog';
import { UserAvatar } from './user-avatar';
import { UsersList } from './users-list';
import { MessageSearchBox } from '../search/message-search-box';

/** The signed-in screen: people and chats on the left, open chat boxes on the right. */
@Component({
  selector: 'app-chat-page',
  imports: [UsersList, ChatList, ChatBox, CreateGroupDialog, JoinRoomDialog, UserAvatar, RouterLink, MessageSearchBox],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatPage {
  protected readonly store = inject(SessionStore);
  protected readonly announcer = inject(Announcer);
  protected readonly connection = inject(Connection);
  private readonly arrivals = inject(ArrivalsService);
  private readonly auth = inject(AuthService);
  protected readonly layout = inject(ChatLayoutService);
  private readonly navigator = inject(ChatNavigator);

  protected readonly groupSelection = signal<readonly string[]>([]);
  /** The create dialog is open: a private group for the people picked, or a public room ("New room") with nobody picked yet. */
  protected readonly creatingGroup = signal<'picked' | 'room' | null>(null);
  protected readonly joiningRoom = signal(false);
  protected readonly fullName = fullName;

  protected readonly newGroupMembers = computed<readonly UserWithPresence[]>(() =>
    this.creatingGroup() !== 'picked'
      ? []
      : this.groupSelection()
          .map((id) => this.store.userById(id))
          .filter((u): u is UserWithPresence => !!u),
  );
  protected readonly showingBox = computed(() => this.layout.visibleIds().length > 0);
  protected readonly connectionLabel = computed(() => {
    switch (this.connection.state()) {
      case 'online':
        return 'Connected';
      case 'connecting':
        return 'Connecting…';
      default:
        return 'Offline';
    }
  });

  constructor() {
    const incoming = this.arrivals.incoming.subscribe((message) => this.layout.popUp(message.chatId));
    const stopWatching = this.store.onChange(({ before, after }) => {
      for (const chatId of removedChats(before, after)) this.layout.close(chatId);
    });
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => {
      incoming.unsubscribe();
      stopWatching();
      this.layout.reset();
    });
    effect(() => {
      const unread = this.store.totalUnread();
      document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
    });
    destroyRef.onDestroy(() => (document.title = 'Parley'));
  }

  protected openUser(userId: string): void {
    void this.navigator.openDirect(userId);
  }

  protected openChat(chatId: string): void {
    this.navigator.openChat(chatId);
  }

  protected onGroupCreated(chatId: string): void {
    if (this.creatingGroup() === 'picked') this.groupSelection.set([]);
    this.navigator.openChat(chatId);
  }

  protected logout(): void {
    this.layout.reset();
    void this.auth.logout();
  }
}
