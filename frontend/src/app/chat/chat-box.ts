import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MAX_MESSAGE_LENGTH } from '@shared';
import type { ChatMessage } from '../core/chat-message';
import { fullName } from '../core/full-name';
import { MainService, type ChatMessages } from '../core/main.service';
import { requestErrorText } from '../core/request-error-text';
import type { TickState } from '../core/tick-state';
import { ToastService } from '../core/toast.service';
import { ChatLayoutService } from './chat-layout.service';
import { ChatNavigator } from './chat-navigator.service';
import { clockTime, dayLabel, fullTime, isSameDay } from './chat-time';
import { chatTitle, directPartner } from './chat-title';
import { GroupSettingsDialog } from './group-settings-dialog';
import { MessageTicks } from './message-ticks';
import { noticeText } from './notice-text';
import { tickLabel } from './tick-label';
import { typingText } from './typing-text';
import { UserAvatar } from './user-avatar';

/** One line of the message list, with everything the template needs worked out. */
export interface MessageView {
  message: ChatMessage;
  own: boolean;
  /** The text of a group notice (joined, left, renamed…). */
  notice: string | null;
  /** The sender's name above the first of a run of messages in a group. */
  senderName: string | null;
  /** A day divider above the message. */
  day: string | null;
  time: string;
  /** The date and time in full, for the time's tooltip. */
  fullTime: string;
  tick: TickState | null;
  /** The ticks in words; in a group, how many members have the message. */
  tickLabel: string | null;
  seen: boolean;
}

/** Scrolling this close to the top loads the previous page. */
const LOAD_OLDER_THRESHOLD_PX = 48;
const STICK_TO_BOTTOM_PX = 80;

@Component({
  selector: 'app-chat-box',
  imports: [UserAvatar, MessageTicks, GroupSettingsDialog],
  templateUrl: './chat-box.html',
  styleUrl: './chat-box.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'data-testid': 'chat-box',
    '[attr.data-chat-id]': 'chatId()',
    '[attr.data-chat-name]': 'title()',
    role: 'region',
    '[attr.aria-label]': '"Chat: " + title()',
    '[class.active]': 'layout.activeId() === chatId()',
    '(focusin)': 'layout.activate(chatId())',
    '(keydown.escape)': 'onEscape()',
    '(document:click)': 'onDocumentClick($event)',
  },
})
export class ChatBox {
  readonly chatId = input.required<string>();

  protected readonly main = inject(MainService);
  protected readonly layout = inject(ChatLayoutService);
  private readonly navigator = inject(ChatNavigator);
  private readonly toasts = inject(ToastService);
  private readonly injector = inject(Injector);

  private readonly scroller = viewChild<ElementRef<HTMLElement>>('scroller');
  private readonly menuAnchor = viewChild<ElementRef<HTMLElement>>('menuAnchor');
  private readonly menuButton = viewChild<ElementRef<HTMLButtonElement>>('menuButton');
  private readonly confirmCancel = viewChild<ElementRef<HTMLButtonElement>>('confirmCancel');
  private readonly composer = viewChild<ElementRef<HTMLTextAreaElement>>('composer');

  protected readonly maxLength = MAX_MESSAGE_LENGTH;
  protected readonly draft = signal('');
  protected readonly menuOpen = signal(false);
  protected readonly confirming = signal<'delete' | 'leave' | null>(null);
  protected readonly settingsOpen = signal(false);
  protected readonly loadError = signal<string | null>(null);
  private loadingHistory = false;
  private destroyed = false;

  protected readonly me = this.main.currentUser;
  protected readonly chat = computed(() => this.main.chatById(this.chatId()));
  protected readonly entry = computed<ChatMessages | undefined>(() => this.main.messages()[this.chatId()]);
  protected readonly loaded = computed(() => this.entry()?.loaded ?? false);
  protected readonly isGroup = computed(() => this.chat()?.kind === 'group');
  protected readonly partner = computed(() => {
    const chat = this.chat();
    return chat ? directPartner(chat, this.me()?.id, (id) => this.main.userById(id)) : undefined;
  });
  protected readonly title = computed(() => {
    const chat = this.chat();
    return chat ? chatTitle(chat, this.me()?.id, (id) => this.main.userById(id)) : 'Chat';
  });
  protected readonly subtitle = computed(() => {
    const chat = this.chat();
    if (!chat) return '';
    if (chat.kind === 'group') {
      const n = chat.members.length;
      const kind = chat.visibility === 'public' ? 'public room' : 'private group';
      return `${kind} · ${n} member${n === 1 ? '' : 's'}${chat.hasPassword ? ' · password protected' : ''}`;
    }
    const partner = this.partner();
    return partner ? (partner.online ? 'online' : 'offline') : '';
  });
  protected readonly isAdmin = computed(
    () => this.chat()?.members.find((m) => m.userId === this.me()?.id)?.role === 'admin',
  );
  protected readonly partnerBlocked = computed(() => {
    const partner = this.partner();
    return !!partner && this.main.blockedUserIds().has(partner.id);
  });
  protected readonly typingLine = computed(() => {
    const ids = this.main.typing()[this.chatId()] ?? [];
    return typingText(ids.map((id) => this.main.userById(id)?.firstName ?? 'Someone'));
  });
  protected readonly views = computed<MessageView[]>(() => {
    const myId = this.me()?.id;
    const group = this.isGroup();
    const list = this.entry()?.list ?? [];
    const nameOf = (id: string | undefined) => {
      if (!id) return 'Someone';
      if (id === myId) return 'You';
      const user = this.main.userById(id);
      return user ? fullName(user) : 'Someone';
    };
    let lastOwn = -1;
    const views = list.map((message, index): MessageView => {
      const previous = index > 0 ? list[index - 1] : undefined;
      const own = message.senderId === myId && message.kind === 'text';
      if (own) lastOwn = index;
      const receipts = own ? this.main.receiptsOf(message) : null;
      const startsRun =
        !previous || previous.kind === 'notice' || previous.senderId !== message.senderId ||
        !isSameDay(previous.createdAt, message.createdAt);
      return {
        message,
        own,
        notice: message.kind === 'notice' && message.notice ? noticeText(message.notice, nameOf) : null,
        senderName: group && !own && message.kind === 'text' && startsRun ? nameOf(message.senderId ?? undefined) : null,
        day: !previous || !isSameDay(previous.createdAt, message.createdAt) ? dayLabel(message.createdAt) : null,
        time: clockTime(message.createdAt),
        fullTime: fullTime(message.createdAt),
        tick: receipts?.state ?? null,
        tickLabel: receipts ? tickLabel(receipts, group) : null,
        seen: false,
      };
    });
    const newestOwn = views[lastOwn];
    if (newestOwn && newestOwn.tick === 'read') views[lastOwn] = { ...newestOwn, seen: true };
    return views;
  });

  /** Distance from the bottom to restore after older messages were put on top. */
  private restoreFromBottom: number | null = null;
  private stickToBottom = true;
  private renderedFirst: string | undefined;
  private renderedLast: string | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => (this.destroyed = true));

    // Load the latest page once online (again after a failure, when the connection returns).
    effect(() => {
      const online = this.main.connection() === 'online';
      const needsHistory = !this.loaded() && !!this.chatId();
      if (online && needsHistory) untracked(() => void this.loadHistory());
    });

    // While the box is on screen, everything in it counts as read.
    effect(() => {
      const chatId = this.chatId();
      const visible = this.layout.isVisible(chatId);
      const online = this.main.connection() === 'online';
      this.entry();
      this.chat();
      if (visible && online && this.loaded()) untracked(() => this.main.markRead(chatId));
    });

    effect(() => {
      const request = this.layout.focusRequest();
      if (request?.chatId === this.chatId()) {
        afterNextRender(() => this.composer()?.nativeElement.focus(), { injector: this.injector });
      }
    });

    afterRenderEffect(() => {
      const views = this.views();
      const element = this.scroller()?.nativeElement;
      if (!element) return;
      const first = views[0]?.message.id;
      const last = views.at(-1);
      if (this.restoreFromBottom !== null && first !== this.renderedFirst) {
        element.scrollTop = element.scrollHeight - this.restoreFromBottom;
        this.restoreFromBottom = null;
      } else if (last && last.message.id !== this.renderedLast && (this.stickToBottom || last.own)) {
        element.scrollTop = element.scrollHeight;
      }
      this.renderedFirst = first;
      this.renderedLast = last?.message.id;
    });
  }

  protected async loadHistory(): Promise<void> {
    if (this.loadingHistory) return;
    this.loadingHistory = true;
    this.loadError.set(null);
    try {
      await this.main.openChat(this.chatId());
    } catch (error) {
      this.loadError.set(requestErrorText(error, 'Could not load the messages.'));
    } finally {
      this.loadingHistory = false;
    }
  }

  protected onScroll(): void {
    const element = this.scroller()?.nativeElement;
    if (!element) return;
    this.stickToBottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
    if (element.scrollTop < LOAD_OLDER_THRESHOLD_PX) void this.loadOlder();
  }

  protected async loadOlder(): Promise<void> {
    const entry = this.entry();
    const element = this.scroller()?.nativeElement;
    if (!entry?.loaded || !entry.hasMore || this.main.loadingOlder().has(this.chatId())) return;
    if (element) this.restoreFromBottom = element.scrollHeight - element.scrollTop;
    try {
      await this.main.loadOlder(this.chatId());
    } catch (error) {
      this.restoreFromBottom = null;
      this.toasts.error(requestErrorText(error, 'Could not load older messages.'));
    }
  }

  protected onInput(event: Event): void {
    const value = (event.target as HTMLTextAreaElement).value;
    this.draft.set(value);
    if (value.trim()) this.main.noteTyping(this.chatId());
    else this.main.stopTyping(this.chatId());
  }

  protected onEnter(event: Event): void {
    const key = event as KeyboardEvent;
    if (key.shiftKey || key.isComposing) return;
    event.preventDefault();
    this.send();
  }

  protected send(): void {
    const text = this.draft().trim();
    if (!text || this.partnerBlocked()) return;
    this.main.sendMessage(this.chatId(), text);
    this.draft.set('');
    this.stickToBottom = true;
    const composer = this.composer()?.nativeElement;
    if (composer) {
      // The binding may not have seen the typed text yet; clear the field itself too.
      composer.value = '';
      composer.focus();
    }
  }

  protected openSender(userId: string | null): void {
    if (userId) void this.navigator.openDirect(userId);
  }

  protected discard(message: ChatMessage): void {
    if (message.clientId) this.main.discardFailed(this.chatId(), message.clientId);
  }

  protected close(): void {
    this.main.stopTyping(this.chatId());
    if (this.layout.narrow()) this.layout.back(this.chatId());
    else this.layout.close(this.chatId());
  }

  protected toggleMenu(): void {
    this.menuOpen.update((open) => !open);
    this.confirming.set(null);
    if (this.menuOpen()) {
      afterNextRender(() => this.menuAnchor()?.nativeElement.querySelector<HTMLElement>('[role="menuitem"]')?.focus(), {
        injector: this.injector,
      });
    }
  }

  /** Up and down arrows move between the menu's items. */
  protected onMenuKey(event: KeyboardEvent): void {
    const items = Array.from(this.menuAnchor()?.nativeElement.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = items.indexOf(document.activeElement as HTMLElement);
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (!step || items.length === 0) return;
    event.preventDefault();
    items[(index + step + items.length) % items.length]!.focus();
  }

  /** Escape closes the menu or the question, and focus goes back to the menu button. */
  protected onEscape(): void {
    if (!this.menuOpen() && !this.confirming()) return;
    this.menuOpen.set(false);
    this.confirming.set(null);
    this.menuButton()?.nativeElement.focus();
  }

  /** Tabbing out of the open menu closes it. */
  protected onMenuFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (next && !this.menuAnchor()?.nativeElement.contains(next)) this.menuOpen.set(false);
  }

  protected cancelConfirm(): void {
    this.confirming.set(null);
    this.menuButton()?.nativeElement.focus();
  }

  /** After a menu item removed itself, focus goes back to the menu button (if nothing else took it). */
  protected restoreMenuFocus(): void {
    if (this.destroyed) return;
    afterNextRender(
      () => {
        const focused = document.activeElement;
        if (!focused || focused === document.body) this.menuButton()?.nativeElement.focus();
      },
      { injector: this.injector },
    );
  }

  /** A click anywhere outside the open menu closes it. */
  protected onDocumentClick(event: MouseEvent): void {
    if (!this.menuOpen()) return;
    const anchor = this.menuAnchor()?.nativeElement;
    if (anchor && !anchor.contains(event.target as Node)) this.menuOpen.set(false);
  }

  protected ask(action: 'delete' | 'leave'): void {
    this.menuOpen.set(false);
    this.confirming.set(action);
    afterNextRender(() => this.confirmCancel()?.nativeElement.focus(), { injector: this.injector });
  }

  protected openSettings(): void {
    this.menuOpen.set(false);
    this.settingsOpen.set(true);
  }

  protected async toggleBlock(): Promise<void> {
    const fromMenu = this.menuOpen();
    if (fromMenu) {
      this.menuOpen.set(false);
      this.restoreMenuFocus();
    }
    const partner = this.partner();
    if (!partner) return;
    const name = fullName(partner);
    try {
      if (this.partnerBlocked()) {
        await this.main.unblock(partner.id);
        this.toasts.show(`You unblocked ${name}.`);
        // The inline Unblock button gives way to the message field: carry on there.
        if (!fromMenu && !this.destroyed) {
          afterNextRender(() => this.composer()?.nativeElement.focus(), { injector: this.injector });
        }
      } else {
        await this.main.block(partner.id);
        this.toasts.show(`You blocked ${name}. They can no longer message you.`);
      }
    } catch (error) {
      this.toasts.error(requestErrorText(error, 'That did not work. Try again.'));
    }
  }

  protected async confirmAction(): Promise<void> {
    const action = this.confirming();
    const chatId = this.chatId();
    this.confirming.set(null);
    try {
      if (action === 'delete') await this.main.deleteChat(chatId);
      if (action === 'leave') await this.main.leaveGroup(chatId);
      this.layout.close(chatId);
    } catch (error) {
      this.toasts.error(requestErrorText(error, 'That did not work. Try again.'));
    }
  }
}
