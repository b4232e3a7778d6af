import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
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
import { Outbox } from '../../outbox/outbox.service';
import { SessionStore } from '../../session/session-store';
import type { ChatMessage } from '../../timeline/state/chat-message';
import { HistoryPager } from '../../timeline/history-pager.service';
import { ChatLayoutService } from '../chat-layout.service';
import { ChatNavigator } from '../chat-navigator.service';
import { MessageTicks } from '../message-ticks';
import { ChatBoxModel } from './chat-box-model';
import { messageViews, type MessageView } from './message-views';

/** Scrolling this close to the top loads the previous page. */
const LOAD_OLDER_THRESHOLD_PX = 48;
const STICK_TO_BOTTOM_PX = 80;

/** The chat's messages: loads them, pages back on scrolling up, follows new ones, and marks them read while on screen. */
@Component({
  selector: 'div[appMessageList]',
  imports: [MessageTicks],
  templateUrl: './message-list.html',
  styleUrl: './message-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    '[attr.aria-label]': '"Messages with " + box.title()',
    tabindex: '0',
    'data-testid': 'message-list',
    '(scroll)': 'onScroll()',
  },
})
export class MessageList {
  protected readonly box = inject(ChatBoxModel);
  private readonly store = inject(SessionStore);
  private readonly connection = inject(Connection);
  private readonly actions = inject(ChatActions);
  private readonly receipts = inject(ReceiptsService);
  private readonly pager = inject(HistoryPager);
  private readonly outbox = inject(Outbox);
  private readonly navigator = inject(ChatNavigator);
  private readonly layout = inject(ChatLayoutService);
  private readonly toasts = inject(ToastService);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;

  protected readonly loadError = signal<string | null>(null);
  protected readonly loadingOlder = computed(() => this.pager.loadingOlder().has(this.box.chatId()));
  protected readonly views = computed<MessageView[]>(() =>
    messageViews(this.box.timeline()?.list ?? [], {
      myId: this.box.me().id,
      group: this.box.isGroup(),
      userById: (id) => this.store.userById(id),
      receiptsOf: (message) => this.store.receiptsOf(message),
    }),
  );

  private loadingHistory = false;
  /** Distance from the bottom to restore after older messages were put on top. */
  private restoreFromBottom: number | null = null;
  private stickToBottom = true;
  private renderedFirst: string | undefined;
  private renderedLast: string | undefined;

  constructor() {
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

    afterRenderEffect(() => {
      const views = this.views();
      const element = this.element;
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

  protected openSender(userId: string | null): void {
    if (userId) void this.navigator.openDirect(userId);
  }

  protected discard(message: ChatMessage): void {
    if (message.clientId) this.outbox.discardFailed(this.box.chatId(), message.clientId);
  }
}
