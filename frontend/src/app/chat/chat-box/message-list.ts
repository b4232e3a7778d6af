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
import { ChatActions } from '../../chats/chat-actions.service';
import { ReceiptsService } from '../../chats/receipts.service';
import { Connection } from '../../connection/connection.service';
import { requestErrorText } from '../../core/request-error-text';
import { ToastService } from '../../core/toast.service';
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

/** Scrolling this close to the top loads the previous page. */
const LOAD_OLDER_THRESHOLD_PX = 48;
const STICK_TO_BOTTOM_PX = 80;
/** How long a message we jumped to stays highlighted. */
const HIGHLIGHT_MS = 2000;
const MESSAGE = '[data-testid="message"]';

/**
 * The chat's messages: loads them, pages back on scrolling up, follows new ones, and marks them
 * read while on screen. The messages are one Tab stop: the arrow keys move between them (Home and
 * End to the ends), and Tab goes on into the focused one's actions. A quote jumps to its original.
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
    }),
  );

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

  private loadingHistory = false;
  /** Distance from the bottom to restore after older messages were put on top. */
  private restoreFromBottom: number | null = null;
  private stickToBottom = true;
  private renderedFirst: string | undefined;
  private renderedLast: string | undefined;
  /** The newest message when the list was last looked at for something to announce. */
  private announcedLast: string | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.highlightTimer));
    // Load the latest page once online (again after a failure, when the connection returns).
    effect(() => {
      const online = this.connection.state() === 'online';
      const needsHistory = !this.box.loaded() && !!this.box.chatId();
      if (online && needsHistory) untracked(() => void this.loadHistory());
    });

    // While the box is on screen, everything in it counts as read.
    effect(() => {
      const chatId = this.box.chatId();
      const visible = this.layout.isVisible(chatId);
      const online = this.connection.state() === 'online';
      this.box.timeline();
      this.box.chat();
      if (visible && online && this.box.loaded()) untracked(() => this.receipts.markRead(chatId));
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
      if (!last || last.message.id === this.announcedLast) return;
      const opening = this.announcedLast === undefined;
      this.announcedLast = last.message.id;
      if (opening || last.own || last.notice !== null || last.deletedText !== null) return;
      untracked(() => {
        const where = this.box.isGroup() ? ` in ${this.box.title()}` : '';
        this.announcer.announce(`${last.authorName}${where}: ${markdownText(last.message.body)}`);
      });
    });

    afterRenderEffect(() => {
      const views = this.views();
      const element = this.element;
      const first = views[0]?.message.id;
      const last = views.at(-1);
      const reveal = this.revealId;
      if (reveal && views.some((view) => view.message.id === reveal)) {
        this.revealId = null;
        this.reveal(reveal);
      } else if (this.restoreFromBottom !== null && first !== this.renderedFirst) {
        element.scrollTop = element.scrollHeight - this.restoreFromBottom;
        this.restoreFromBottom = null;
      } else if (last && last.message.id !== this.renderedLast && (this.stickToBottom || last.own)) {
        element.scrollTop = element.scrollHeight;
      }
      this.renderedFirst = first;
      this.renderedLast = last?.message.id;
    });
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
    this.stickToBottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
    if (element.scrollTop < LOAD_OLDER_THRESHOLD_PX) void this.loadOlder();
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
    this.stickToBottom = false;
    this.element.scrollTop += box.top - list.top - (list.height - box.height) / 2;
    target.focus({ preventScroll: true });
    this.highlightedId.set(messageId);
    clearTimeout(this.highlightTimer);
    this.highlightTimer = setTimeout(() => this.highlightedId.set(null), HIGHLIGHT_MS);
  }
}
