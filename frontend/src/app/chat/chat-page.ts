import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import type { UserWithPresence } from '@shared';
import { fullName } from '../core/full-name';
import { MainService } from '../core/main.service';
import { ChatBox } from './chat-box';
import { ChatLayoutService } from './chat-layout.service';
import { ChatList } from './chat-list';
import { ChatNavigator } from './chat-navigator.service';
import { CreateGroupDialog } from './create-group-dialog';
import { JoinRoomDialog } from './join-room-dialog';
import { UserAvatar } from './user-avatar';
import { UsersList } from './users-list';

/** The signed-in screen: people and chats on the left, open chat boxes on the right. */
@Component({
  selector: 'app-chat-page',
  imports: [UsersList, ChatList, ChatBox, CreateGroupDialog, JoinRoomDialog, UserAvatar],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatPage {
  protected readonly main = inject(MainService);
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
          .map((id) => this.main.userById(id))
          .filter((u): u is UserWithPresence => !!u),
  );
  protected readonly showingBox = computed(() => this.layout.visibleIds().length > 0);
  protected readonly connectionLabel = computed(() => {
    switch (this.main.connection()) {
      case 'online':
        return 'Connected';
      case 'connecting':
        return 'Connecting…';
      default:
        return 'Offline';
    }
  });

  constructor() {
    const incoming = this.main.incomingMessages.subscribe((message) => this.layout.popUp(message.chatId));
    const removed = this.main.removedChats.subscribe((chatId) => this.layout.close(chatId));
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => {
      incoming.unsubscribe();
      removed.unsubscribe();
      this.layout.reset();
    });
    effect(() => {
      const unread = this.main.totalUnread();
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
    void this.main.logout();
  }
}
