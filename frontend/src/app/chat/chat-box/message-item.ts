import { focusedElement } from '../../core/focused-element';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  computed,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MAX_REACTIONS_PER_MESSAGE } from '@shared';
import { AttachmentUrls } from '../../attachments/attachment-urls.service';
import { attachmentSummary } from '../../attachments/state/attachment-summary';
import { ToastService } from '../../core/toast.service';
import { Outbox } from '../../outbox/outbox.service';
import { MessageActions } from '../../timeline/message-actions.service';
import { ChatNavigator } from '../chat-navigator.service';
import { DeleteMessageDialog } from '../delete-message-dialog';
import { EmojiPickerDialog } from '../emoji-picker-dialog';
import { LongPress } from '../long-press';
import { MessageTicks } from '../message-ticks';
import { SeenByDialog } from '../seen-by-dialog';
import { ComposerIntent } from './composer-intent';
import { MessageAttachments } from './message-attachments';
import { MessageBody } from './message-body';
import type { MessageView } from './message-views';
import { ReactionChips } from './reaction-chips';
import { ReplyQuote } from './reply-quote';

const PENDING_TEXT = { edit: 'Saving…', delete: 'Deleting…', react: null } as const;

/**
 * One message of the list: its bubble (quote, formatted body, edited label, time, ticks), its
 * reactions, and what the user may do with it (react, reply, edit, delete), shown on hover, on
 * keyboard focus and on a long press.
 */
@Component({
  selector: 'div[appMessageItem]',
  imports: [MessageTicks, MessageBody, MessageAttachments, ReplyQuote, ReactionChips, LongPress, EmojiPickerDialog, DeleteMessageDialog, SeenByDialog],
  templateUrl: './message-item.html',
  styleUrl: './message-item.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'article',
    'data-testid': 'message',
    '[attr.data-message-id]': 'view().message.id',
    '[attr.data-client-id]': 'view().message.clientId',
    '[attr.tabindex]': 'current() ? 0 : -1',
    '[attr.aria-label]': 'label()',
    '[class.own]': 'view().own',
    '[class.other]': '!view().own',
    '[class.failed]': "view().message.local === 'failed'",
    '[class.deleted]': 'view().deletedText !== null',
    '[class.highlight]': 'highlighted()',
    '[class.in-composer]': 'inComposer()',
    '[class.show-actions]': 'pressed() || keyboardFocus()',
    '(focusin)': 'onFocusIn($event)',
    '(focusout)': 'onFocusOut($event)',
  },
})
export class MessageItem {
  readonly view = input.required<MessageView>();
  /** The message the list's Tab stop is on. */
  readonly current = input(false);
  /** Flashes after a jump to it from a quote. */
  readonly highlighted = input(false);
  /** The quote in this message was activated: go to the original (its id). */
  readonly jump = output<string>();

  private readonly actions = inject(MessageActions);
  private readonly intent = inject(ComposerIntent);
  private readonly outbox = inject(Outbox);
  private readonly urls = inject(AttachmentUrls);
  private readonly navigator = inject(ChatNavigator);
  private readonly toasts = inject(ToastService);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);

  protected readonly picking = signal(false);
  protected readonly confirmingDelete = signal(false);
  /** The "Seen by" list is open. */
  protected readonly showingReaders = signal(false);
  /** A long press showed the actions; a touch anywhere else hides them. */
  protected readonly pressed = signal(false);
  /**
   * Focus came to the message (or into it) from the keyboard: its actions show until focus
   * leaves it. A class rather than :focus-visible alone, so that they stay while focus moves on
   * from the message into them.
   */
  protected readonly keyboardFocus = signal(false);

  /** Being answered or edited in the composer. */
  protected readonly inComposer = computed(() => {
    const id = this.view().message.id;
    return this.intent.editing()?.id === id || this.intent.replyTo()?.id === id;
  });
  /** Files or pictures, stored or on their way. */
  protected readonly carries = computed(() => {
    const { message } = this.view();
    return (message.attachments?.length ?? 0) > 0 || (message.uploads?.length ?? 0) > 0;
  });
  protected readonly label = computed(() => {
    const view = this.view();
    const { message } = view;
    const stored = message.attachments ?? [];
    const carried = message.deletedAt === null ? attachmentSummary(stored.length > 0 ? stored : message.uploads) : '';
    return `${view.authorName}, ${view.time}${view.edited ? ', edited' : ''}${carried ? `, ${carried.replace(/^\S+ /, '')}` : ''}`;
  });
  protected readonly pendingText = computed(() => {
    const change = this.view().message.pendingChange;
    return change ? PENDING_TEXT[change] : null;
  });

  private readonly unpress = (event: Event) => {
    if (!this.element.contains(event.target as Node)) this.pressed.set(false);
  };

  constructor() {
    // The list is one Tab stop: only the current message's own controls (quote, links, chips, actions) are in the Tab order.
    afterRenderEffect(() => {
      const reachable = this.current();
      // Download links get their address (and so become links) once their signed URL arrives.
      for (const attachment of this.view().message.attachments ?? []) this.urls.urlOf(attachment.id)();
      for (const control of this.element.querySelectorAll<HTMLElement>('button, a[href]')) {
        if (!control.closest('dialog')) control.tabIndex = reachable ? 0 : -1;
      }
    });
    // A message the server refused comes into view with its warning and buttons.
    let wasFailed = false;
    afterRenderEffect(() => {
      const failed = this.view().message.local === 'failed';
      if (failed && !wasFailed) this.element.scrollIntoView({ block: 'nearest' });
      wasFailed = failed;
    });
    inject(DestroyRef).onDestroy(() => document.removeEventListener('pointerdown', this.unpress, true));
  }

  protected onFocusIn(event: FocusEvent): void {
    if ((event.target as HTMLElement).matches(':focus-visible')) this.keyboardFocus.set(true);
  }

  protected onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (!next || !this.element.contains(next)) this.keyboardFocus.set(false);
  }

  protected pressActions(): void {
    if (!this.view().canReact) return;
    this.pressed.set(true);
    document.addEventListener('pointerdown', this.unpress, true);
  }

  protected openSender(): void {
    const senderId = this.view().message.senderId;
    if (senderId) void this.navigator.openDirect(senderId);
  }

  protected react(emoji: string, on: boolean): void {
    const { message } = this.view();
    const known = message.reactions.some((r) => r.emoji === emoji);
    if (on && !known && message.reactions.length >= MAX_REACTIONS_PER_MESSAGE) {
      this.toasts.error(`A message can carry at most ${MAX_REACTIONS_PER_MESSAGE} different reactions.`);
      return;
    }
    this.actions.react(message.chatId, message.id, emoji, on);
  }

  protected reply(): void {
    this.pressed.set(false);
    this.intent.reply(this.view().message);
  }

  protected edit(): void {
    this.pressed.set(false);
    this.intent.edit(this.view().message);
  }

  protected remove(): void {
    const { message } = this.view();
    if (this.intent.editing()?.id === message.id) this.intent.clear();
    this.actions.remove(message.chatId, message.id);
  }

  /** The delete button the question came from is gone with the message's actions: focus stays on the message. */
  protected deleteClosed(): void {
    this.confirmingDelete.set(false);
    afterNextRender(
      () => {
        const focused = focusedElement();
        if (!focused || focused === document.body) this.element.focus();
      },
      { injector: this.injector },
    );
  }

  /** Delete: the refused message goes, from the list and from the browser's copy of the outbox. */
  protected discard(): void {
    const { message } = this.view();
    if (message.clientId) this.outbox.discardFailed(message.chatId, message.clientId);
    this.focusListSoon();
  }

  /** Retry: sent again as a new message, in place of the refused one. */
  protected retry(): void {
    const { message } = this.view();
    if (message.clientId) this.outbox.retryFailed(message.chatId, message.clientId);
    this.focusListSoon();
  }

  /** The message (and its buttons) are gone: focus goes to the list rather than to nowhere. */
  private focusListSoon(): void {
    const list = this.element.closest<HTMLElement>('[data-testid="message-list"]');
    afterNextRender(
      () => {
        const focused = focusedElement();
        if (!focused || focused === document.body) list?.focus();
      },
      { injector: this.injector },
    );
  }

}
