import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { UserWithPresence } from '@shared';
import { fullName } from '../core/full-name';
import { ArrivalsService } from '../chats/arrivals.service';
import { NotificationSettings } from '../notifications/notification-settings';
import { Connection } from '../connection/connection.service';
import { LocalRestore } from '../offline/local-restore.service';
import { LocalStore } from '../offline/local-store.service';
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
  imports: [UsersList, ChatList, ChatBox, CreateGroupDialog, JoinRoomDialog, UserAvatar, RouterLink, NotificationSettings, MessageSearchBox],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    // Files dropped beside a chat box are not opened by the browser in place of the app.
    '(dragover)': 'keepFiles($event)',
    '(drop)': 'keepFiles($event)',
  },
})
export class ChatPage {
  protected readonly store = inject(SessionStore);
  protected readonly announcer = inject(Announcer);
  protected readonly connection = inject(Connection);
  private readonly arrivals = inject(ArrivalsService);
  private readonly auth = inject(AuthService);
  protected readonly layout = inject(ChatLayoutService);
  private readonly navigator = inject(ChatNavigator);
  private readonly localRestore = inject(LocalRestore);
  private readonly localStore = inject(LocalStore);

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
    // A muted chat never pops up; a mentions-only chat only for a mention of us.
    const incoming = this.arrivals.incoming.subscribe((message) => {
      const notify = this.store.chatById(message.chatId)?.notify ?? 'all';
      if (notify === 'muted' || (notify === 'mentions' && !message.mentions.includes(this.store.me().id))) return;
      this.layout.popUp(message.chatId);
    });
    const stopWatching = this.store.onChange(({ before, after }) => {
      for (const chatId of removedChats(before, after)) this.layout.close(chatId);
    });
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => {
      incoming.unsubscribe();
      stopWatching();
      this.layout.reset();
    });
    this.keepOpenPanels();
  }

  /** The chat panels open at the last visit come back once what the browser kept is read; each change is kept. */
  private keepOpenPanels(): void {
    let restored = false;
    effect(() => {
      const panels = this.localRestore.panels();
      const ids = this.layout.openIds();
      if (panels === null) return;
      if (!restored) {
        restored = true;
        untracked(() => this.layout.restore(panels.filter((id) => !!this.store.chatById(id))));
        return;
      }
      untracked(() => void this.localStore.savePanels(ids));
    });
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

  protected keepFiles(event: DragEvent): void {
    if (Array.from(event.dataTransfer?.types ?? []).includes('Files')) event.preventDefault();
  }
}
