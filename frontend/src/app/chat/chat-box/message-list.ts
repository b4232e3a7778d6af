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
  signal,
  untracked,
} from '@angular/core';
import { messageLine } from '../../attachments/state/attachment-summary';
import { ChatActions } from '../../chats/chat-actions.service';
import { ReceiptsService } from '../../chats/receipts.service';
import { seenBy } from '../../chats/state/seen-by';
import {
  NO_UNREAD_LINE,
  newestOnScreen,
  unreadLineAtOpen,
  unreadLineOnArrival,
  unseenBelow,
  type UnreadLine,
} from '../../reading/state/reading-position';
import { Connection } from '../../connection/connection.service';
import { requestErrorText } from '../../core/request-error-text';
import { ToastService } from '../../core/toast.service';
import { mentionNameOf } from '../../mentions/state/mention-names';
import { SessionStore } from '../../session/session-store';
import { HistoryPager } from '../../timeline/history-pager.service';
import { MessageActions } from '../../timeline/message-actions.service';
import { Announcer } from '../announcer';
import { ChatLayoutService } from '../chat-layout.service';
import { MessageJumps } from '../message-jumps.service';
import { markdownText } from '../markdown';
import { ChatBoxModel } from './chat-box-model';
import { ComposerIntent } from './composer-intent';
import { MessageItem } from './message-item';
import { messageViews, type MessageView } from './message-views';
import { OnScreenMessages } from './on-screen-messages';

/** Scrolling this close to the top loads the previous page. */
const LOAD_OLDER_THRESHOLD_PX = 48;
const STICK_TO_BOTTOM_PX = 80;
/** How long a message we jumped to stays highlighted. */
const HIGHLIGHT_MS = 2000;
const MESSAGE = '[data-testid="message"]';
/** Room left above the "New messages" line when a chat opens at it. */
const UNREAD_LINE_MARGIN_PX = 8;

/**
 * The chat's messages: loads them, opens at the first unread one under a "New messages" line,
 * pages back on scrolling up, and stays at the newest message (as the box opens, resizes and
 * new ones arrive) unless the reader scrolled up; then a "↓ N new" button jumps to the newest.
 * A message counts as read only once it was on screen in a focused, visible window. The
 * messages are one Tab stop: the arrow keys move between them (Home and End to the ends), and
 * Tab goes on into the focused one's actions. A quote jumps to its original.
 */
@Component({
  selector: 'div[appMessageList]',
  imports: [MessageItem],
  templateUrl: './message-list.html',
  styleUrl: './message-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'log',
    // New messages are announced once, through the page's announcer, not by every open box.
    'aria-live': 'off',
    '[attr.aria-label]': '"Messages with " + box.title()',
    '[attr.tabindex]': 'tabStopId() ? -1 : 0',
    'data-testid': 'message-list',
    '(scroll)': 'onScroll()',
    '(keydown)': 'onKey($event)',
    '(focusin)': 'onFocusIn($event)',
  },
})
export class MessageList {
  protected readonly box = inject(ChatBoxModel);
  private readonly store = inject(SessionStore);
  private readonly connection = inject(Connection);
  private readonly actions = inject(ChatActions);
  private readonly receipts = inject(ReceiptsService);
  private readonly pager = inject(HistoryPager);
  private readonly messageActions = inject(MessageActions);
  private readonly intent = inject(ComposerIntent);
  private readonly injector = inject(Injector);
  private readonly layout = inject(ChatLayoutService);
  private readonly toasts = inject(ToastService);
  private readonly announcer = inject(Announcer);
  private readonly jumps = inject(MessageJumps);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;

  protected readonly loadError = signal<string | null>(null);
  protected readonly loadingOlder = computed(() => this.pager.loadingOlder().has(this.box.chatId()));
  protected readonly views = computed<MessageView[]>(() =>
    messageViews(this.box.timeline()?.list ?? [], {
      myId: this.box.me().id,
      group: this.box.isGroup(),
      admin: this.box.isAdmin(),
      userById: (id) => this.store.userById(id),
      receiptsOf: (message) => this.store.receiptsOf(message),
      seenBy: (message) => seenBy(message, this.box.chat()?.members ?? [], this.box.me().id),
    }),
  );

  /** What is on screen: watched once the list is first rendered. */
  private readonly onScreen = signal<OnScreenMessages | null>(null);
  /** The reader is at the newest messages (not scrolled up). */
  protected readonly atBottom = signal(true);
  /** The "New messages" line: placed when the chat opens (or the first time something arrives unseen), then it stays put. */
  private readonly unreadLine = signal<UnreadLine>(NO_UNREAD_LINE);
  protected readonly unreadLineId = computed(() => this.unreadLine().messageId);
  /** The chat's messages are loaded and the list was put at its starting place (the first unread, or the newest). */
  private readonly opened = signal(false);
  /** The list was put at its starting place and what is on screen there is being watched: reading may begin. */
  private readonly placed = signal(false);
  private readonly myReadSeq = computed(() => this.box.chat()?.members.find((m) => m.userId === this.box.me().id)?.readSeq ?? 0);
  /** Messages from others below what was read: the "↓ N new" count while scrolled up. */
  protected readonly newBelow = computed(() => unseenBelow(this.box.timeline()?.list ?? [], this.myReadSeq(), this.box.me().id));
  /** The list waits to be put at the "New messages" line (or at the bottom) once rendered. */
  private placeAt: 'line' | 'bottom' | null = null;
  private opening = false;
  /** The list's size as the ResizeObserver last saw it. */
  private size = { width: 0, height: 0 };
  private readonly destroyRef = inject(DestroyRef);

  /** The message last focused: the list's Tab stop while it is shown (else the newest). */
  private readonly focusedId = signal<string | null>(null);
  protected readonly tabStopId = computed(() => {
    const messages = this.views().filter((view) => view.notice === null);
    const focused = this.focusedId();
    return messages.some((view) => view.message.id === focused) ? focused : (messages.at(-1)?.message.id ?? null);
  });
  protected readonly highlightedId = signal<string | null>(null);
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;
  /** A jump waits for this message to be rendered. */
  private revealId: string | null = null;
  /** A jump has placed the list (the chat opened at a message): opening leaves it there. */
  private jumped = false;

  private loadingHistory = false;
  /** Distance from the bottom to restore after older messages were put on top. */
  private restoreFromBottom: number | null = null;
  private stickToBottom = true;
  private renderedFirst: string | undefined;
  private renderedLast: string | undefined;
  /** The newest message when the list was last looked at for something to announce. */
  private announcedLast: string | undefined;

  constructor() {
    this.destroyRef.onDestroy(() => clearTimeout(this.highlightTimer));
    // Load the latest page once online (again after a failure, when the connection returns).
    effect(() => {
      const online = this.connection.state() === 'online';
      const needsHistory = !this.box.loaded() && !!this.box.chatId();
      if (online && needsHistory) untracked(() => void this.loadHistory());
    });

    // Once loaded, the chat opens where the reader left off: the history reaches back to the
    // first unread message, which gets the "New messages" line.
    effect(() => {
      if (!this.box.loaded() || !this.box.chat() || this.opened() || this.opening) return;
      untracked(() => void this.openAtFirstUnread());
    });

    // Read only what is seen: the newest message on screen while the window is focused and
    // visible and this box shows (a box that just popped up reads nothing by itself).
    effect(() => {
      const chatId = this.box.chatId();
      const reading = this.layout.isVisible(chatId) && this.connection.state() === 'online' && this.placed();
      const seen = newestOnScreen(this.box.timeline()?.list ?? [], this.onScreen()?.ids() ?? new Set());
      this.box.chat();
      if (reading && seen) untracked(() => this.receipts.markSeen(seen));
    });

    // A jump to one of this chat's messages (a search hit) goes the way a quote's does.
    effect(() => {
      const jump = this.jumps.pending();
      if (jump?.chatId !== this.box.chatId()) return;
      untracked(() => this.jumps.taken(jump));
      afterNextRender(() => void this.jumpTo(jump.messageId), { injector: this.injector });
    });

    // The message being answered or edited stays in sight as the composer's banner appears.
    effect(() => {
      const target = this.intent.editing() ?? this.intent.replyTo();
      if (target) afterNextRender(() => this.bringIntoView(target.id), { injector: this.injector });
    });

    // A new message from someone else is announced once, through the page's announcer (not
    // the messages the box opens with, nor older ones paged in on top).
    effect(() => {
      const last = this.views().at(-1);
      if (!last || !this.opened() || last.message.id === this.announcedLast) return;
      const opening = this.announcedLast === undefined;
      this.announcedLast = last.message.id;
      if (opening) return;
      untracked(() => {
        const watching = this.atBottom() && this.layout.isVisible(this.box.chatId());
        this.unreadLine.update((line) => unreadLineOnArrival(line, last.message, this.box.me().id, watching));
        if (last.own || last.notice !== null || last.deletedText !== null) return;
        const where = this.box.isGroup() ? ` in ${this.box.title()}` : '';
        const below = this.atBottom() ? '' : ` (${this.newBelow()} new below)`;
        const text = messageLine(markdownText(last.message.body, mentionNameOf((id) => this.store.userById(id))), last.message.attachments);
        this.announcer.announce(`${last.authorName}${where}: ${text}${below}`);
      });
    });

    afterRenderEffect(() => {
      const views = this.views();
      const element = this.element;
      const first = views[0]?.message.id;
      const last = views.at(-1);
      const reveal = this.revealId;
      this.unreadLineId();
      untracked(() => this.onScreen())?.watch();
      const revealing = reveal !== null && views.some((view) => view.message.id === reveal);
      if (revealing) {
        this.revealId = null;
        this.reveal(reveal);
      }
      if (this.placeAt !== null) {
        this.placeOpened();
      } else if (revealing) {
        // The jump placed the list.
      } else if (this.restoreFromBottom !== null && first !== this.renderedFirst) {
        element.scrollTop = element.scrollHeight - this.restoreFromBottom;
        this.restoreFromBottom = null;
      } else if (this.stickToBottom || (last && last.own && last.message.id !== this.renderedLast)) {
        this.toBottom();
      }
      this.renderedFirst = first;
      this.renderedLast = last?.message.id;
    });

    // The box changes size (other boxes open or close, the window resizes, the composer grows):
    // a list at its newest message stays there. What is on screen is watched as it scrolls.
    afterNextRender(() => {
      this.size = { width: this.element.clientWidth, height: this.element.clientHeight };
      const resizes = new ResizeObserver(() => {
        this.size = { width: this.element.clientWidth, height: this.element.clientHeight };
        if (this.stickToBottom && this.placeAt === null) this.toBottom();
      });
      resizes.observe(this.element);
      const onScreen = new OnScreenMessages(this.element);
      this.onScreen.set(onScreen);
      this.destroyRef.onDestroy(() => {
        resizes.disconnect();
        onScreen.disconnect();
      });
    });
  }

  /**
   * When the chat has unread messages, brings the history back to the first of them, then
   * places the list there once rendered (else at the newest message).
   */
  private async openAtFirstUnread(): Promise<void> {
    this.opening = true;
    const readSeq = this.myReadSeq();
    const hasUnread = (this.box.chat()?.unreadCount ?? 0) > 0;
    // A jump to a message (a search hit) opens the chat there: no paging back above it.
    const jumping = this.revealId !== null || this.jumped;
    if (hasUnread && !jumping) {
      try {
        await this.pager.loadBackTo(this.box.chatId(), readSeq);
      } catch {
        // The newest page is there; the line goes at the first unread message held.
      }
    }
    const line = hasUnread ? unreadLineAtOpen(this.box.timeline()?.list ?? [], readSeq, this.box.me().id) : NO_UNREAD_LINE;
    this.unreadLine.set(line);
    this.placeAt = line.messageId ? 'line' : 'bottom';
    this.opening = false;
    this.opened.set(true);
    if (line.messageId) {
      const unread = unseenBelow(this.box.timeline()?.list ?? [], readSeq, this.box.me().id);
      this.announcer.announce(`${unread} new ${unread === 1 ? 'message' : 'messages'} in ${this.box.title()}`);
    }
  }

  /** Puts a list just opened at its "New messages" line (near the top), or at the newest message. */
  private placeOpened(): void {
    const element = this.element;
    const lineId = this.placeAt === 'line' ? this.unreadLineId() : null;
    this.placeAt = null;
    const line = lineId ? element.querySelector<HTMLElement>('[data-testid="unread-divider"]') : null;
    if (this.jumped) {
      // A jump to a message (a search hit) opened the chat: the list stays where it put it.
    } else if (line) {
      const top = line.getBoundingClientRect().top - element.getBoundingClientRect().top;
      element.scrollTop += top - UNREAD_LINE_MARGIN_PX;
      this.updateAtBottom();
    } else {
      this.toBottom();
    }
    // What was on screen before the list was placed was never looked at: watch afresh from here.
    untracked(() => this.onScreen())?.restart();
    this.placed.set(true);
  }

  private toBottom(): void {
    this.element.scrollTop = this.element.scrollHeight;
    this.stickToBottom = true;
    this.atBottom.set(true);
  }

  private updateAtBottom(): void {
    const element = this.element;
    this.stickToBottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
    this.atBottom.set(this.stickToBottom);
  }

  /** The "↓" button: to the newest message, which then counts as read once on screen; focus goes to it. */
  protected jumpToLatest(): void {
    this.toBottom();
    const messages = this.element.querySelectorAll<HTMLElement>(MESSAGE);
    const newest = messages.item(messages.length - 1);
    if (newest) {
      this.focusedId.set(newest.dataset['messageId'] ?? null);
      newest.focus({ preventScroll: true });
    }
  }

  /** We sent something: the list follows it to the bottom. */
  followNewest(): void {
    this.stickToBottom = true;
  }

  protected async loadHistory(): Promise<void> {
    if (this.loadingHistory) return;
    this.loadingHistory = true;
    this.loadError.set(null);
    try {
      await this.actions.openChat(this.box.chatId());
    } catch (error) {
      this.loadError.set(requestErrorText(error, 'Could not load the messages.'));
    } finally {
      this.loadingHistory = false;
    }
  }

  protected onScroll(): void {
    const element = this.element;
    // A scroll the box's own resizing caused (it comes before the ResizeObserver's turn) is not
    // the reader leaving the newest message: the resize keeps the list where it was.
    const resized = element.clientWidth !== this.size.width || element.clientHeight !== this.size.height;
    if (!resized) this.updateAtBottom();
    if (this.opened() && element.scrollTop < LOAD_OLDER_THRESHOLD_PX) void this.loadOlder();
  }

  protected async loadOlder(): Promise<void> {
    const timeline = this.box.timeline();
    if (!timeline?.loaded || !timeline.hasMore || this.loadingOlder()) return;
    this.restoreFromBottom = this.element.scrollHeight - this.element.scrollTop;
    try {
      await this.pager.loadOlder(this.box.chatId());
    } catch (error) {
      this.restoreFromBottom = null;
      this.toasts.error(requestErrorText(error, 'Could not load older messages.'));
    }
  }

  /** Goes to a message (a quote's original, a search hit): loads the history around it first when it is not here. */
  async jumpTo(messageId: string): Promise<void> {
    if (this.holds(messageId)) {
      this.reveal(messageId);
      return;
    }
    this.revealId = messageId;
    try {
      await this.messageActions.loadAround(this.box.chatId(), messageId);
    } catch (error) {
      this.revealId = null;
      this.toasts.error(requestErrorText(error, 'Could not load that message.'));
      return;
    }
    if (this.revealId === messageId && !this.holds(messageId)) {
      this.revealId = null;
      this.toasts.error('That message is no longer there.');
    }
  }

  protected onFocusIn(event: FocusEvent): void {
    const message = (event.target as HTMLElement).closest<HTMLElement>(MESSAGE);
    const id = message?.dataset['messageId'];
    if (id) this.focusedId.set(id);
  }

  /** Up and Down (Home, End) move between the messages themselves. */
  protected onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (event.altKey || event.ctrlKey || event.metaKey || !target.matches(MESSAGE)) return;
    const messages = Array.from(this.element.querySelectorAll<HTMLElement>(MESSAGE));
    const index = messages.indexOf(target);
    const next = { ArrowUp: index - 1, ArrowDown: index + 1, Home: 0, End: messages.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    messages[Math.max(0, Math.min(next, messages.length - 1))]?.focus();
  }

  /** Scrolls just enough for the message to be wholly in sight (the newest stays at the bottom). */
  private bringIntoView(messageId: string): void {
    const target = this.element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (!target) return;
    const list = this.element.getBoundingClientRect();
    const box = target.getBoundingClientRect();
    if (box.bottom > list.bottom) this.element.scrollTop += box.bottom - list.bottom + 8;
    else if (box.top < list.top) this.element.scrollTop -= list.top - box.top + 8;
  }

  private holds(messageId: string): boolean {
    return this.views().some((view) => view.message.id === messageId);
  }

  /** Scrolls a message to the middle of the list, focuses it and highlights it for a moment. */
  private reveal(messageId: string): void {
    const target = this.element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(messageId)}"]`);
    if (!target) return;
    const list = this.element.getBoundingClientRect();
    const box = target.getBoundingClientRect();
    this.jumped = true;
    this.stickToBottom = false;
    this.atBottom.set(false);
    this.element.scrollTop += box.top - list.top - (list.height - box.height) / 2;
    target.focus({ preventScroll: true });
    this.highlightedId.set(messageId);
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => this.highlightedId.set(null), HIGHLIGHT_MS);
  }
}
