import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { ChatActions } from '../../chats/chat-actions.service';
import { fullName } from '../../core/full-name';
import { requestErrorText } from '../../core/request-error-text';
import { ToastService } from '../../core/toast.service';
import { PeopleService } from '../../people/people.service';
import { MessageSearch } from '../../search/message-search.service';
import { Announcer } from '../announcer';
import { BlockUserDialog } from '../block-user-dialog';
import { ChatLayoutService } from '../chat-layout.service';
import { GroupSettingsDialog } from '../group-settings-dialog';
import { ChatBoxHead, type ChatBoxAction } from './chat-box-head';
import { ChatBoxModel } from './chat-box-model';
import { Composer } from './composer';
import { ComposerFiles } from './composer-files';
import { ComposerIntent } from './composer-intent';
import { MessageList } from './message-list';

/**
 * One open chat: header and menu, the messages, who is typing, and the composer. Files dragged
 * over the box show its drop zone; dropped, they join the composer's files for the next message.
 */
@Component({
  selector: 'app-chat-box',
  imports: [ChatBoxHead, MessageList, Composer, GroupSettingsDialog, BlockUserDialog],
  templateUrl: './chat-box.html',
  styleUrl: './chat-box.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [ChatBoxModel, ComposerIntent, ComposerFiles],
  host: {
    'data-testid': 'chat-box',
    '[attr.data-chat-id]': 'chatId()',
    '[attr.data-chat-name]': 'box.title()',
    role: 'region',
    '[attr.aria-label]': '"Chat: " + box.title()',
    '[class.active]': 'layout.activeId() === chatId()',
    '(focusin)': 'layout.activate(chatId())',
    '(keydown.escape)': 'onEscape()',
    '(dragenter)': 'onDragOver($event)',
    '(dragover)': 'onDragOver($event)',
    '(dragleave)': 'onDragLeave($event)',
    '(drop)': 'onDrop($event)',
  },
})
export class ChatBox {
  readonly chatId = input.required<string>();

  protected readonly box = inject(ChatBoxModel);
  protected readonly layout = inject(ChatLayoutService);
  private readonly actions = inject(ChatActions);
  private readonly people = inject(PeopleService);
  private readonly toasts = inject(ToastService);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly announcer = inject(Announcer);
  private readonly search = inject(MessageSearch);

  protected readonly head = viewChild.required(ChatBoxHead);
  protected readonly messageList = viewChild.required(MessageList);
  private readonly composer = viewChild(Composer);
  private readonly confirmCancel = viewChild<ElementRef<HTMLButtonElement>>('confirmCancel');

  protected readonly confirming = signal<'delete' | 'leave' | null>(null);
  protected readonly settingsOpen = signal(false);
  /** The block question is open (blocking always asks first; unblocking does not). */
  protected readonly confirmingBlock = signal(false);
  protected readonly fullName = fullName;
  private readonly files = inject(ComposerFiles);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  /** Files are being dragged over the box: its drop zone shows. */
  protected readonly dragging = signal(false);

  constructor() {
    this.box.follow(this.chatId);
    effect(() => {
      const request = this.layout.focusRequest();
      if (request?.chatId !== this.chatId()) return;
      // On a phone the keyboard stays down: the focus goes to the chat's title instead.
      if (untracked(() => this.layout.focusComposerOnOpen())) this.focusComposerSoon();
      else afterNextRender(() => this.head().focusTitle(), { injector: this.injector });
    });
    // Who is typing is told once for the whole page, through its announcer.
    effect(() => {
      const line = this.box.typingLine();
      if (line) untracked(() => this.announcer.announce(this.box.isGroup() ? `${line} in ${this.box.title()}` : line));
    });
  }

  protected onAction(action: ChatBoxAction): void {
    if (action === 'search') this.searchHere();
    else if (action === 'settings') this.settingsOpen.set(true);
    else if (action === 'block') {
      if (this.box.partnerBlocked()) void this.toggleBlock(true);
      else this.confirmingBlock.set(true);
    }
    else {
      this.confirming.set(action);
      afterNextRender(() => this.confirmCancel()?.nativeElement.focus(), { injector: this.injector });
    }
  }

  /** Escape closes the menu or the question, and focus goes back to the menu button. */
  protected onEscape(): void {
    const head = this.head();
    if (!head.menuOpen() && !this.confirming()) return;
    head.menuOpen.set(false);
    this.confirming.set(null);
    head.focusMenuButton();
  }

  protected cancelConfirm(): void {
    this.confirming.set(null);
    this.head().focusMenuButton();
  }

  protected async toggleBlock(fromMenu: boolean): Promise<void> {
    const partner = this.box.partner();
    if (!partner) return;
    const name = fullName(partner);
    try {
      if (this.box.partnerBlocked()) {
        await this.people.unblock(partner.id);
        this.toasts.show(`You unblocked ${name}.`);
        // The inline Unblock button gives way to the message field: carry on there.
        if (!fromMenu && !this.destroyRef.destroyed) this.focusComposerSoon();
      } else {
        await this.people.block(partner.id);
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
      if (action === 'delete') await this.actions.deleteChat(chatId);
      if (action === 'leave') await this.actions.leaveGroup(chatId);
      this.layout.close(chatId);
    } catch (error) {
      this.toasts.error(requestErrorText(error, 'That did not work. Try again.'));
    }
  }

  protected onDragOver(event: DragEvent): void {
    if (!carriesFiles(event) || this.box.partnerBlocked()) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging.set(true);
  }

  protected onDragLeave(event: DragEvent): void {
    const to = event.relatedTarget as Node | null;
    if (!to || !this.element.contains(to)) this.dragging.set(false);
  }

  protected onDrop(event: DragEvent): void {
    this.dragging.set(false);
    if (!carriesFiles(event) || this.box.partnerBlocked()) return;
    event.preventDefault();
    this.files.add(Array.from(event.dataTransfer?.files ?? []), 'dropped');
  }

  /** The search box takes the focus, searching only this chat (on a phone, the lists come back for it). */
  private searchHere(): void {
    if (this.layout.narrow()) this.layout.back(this.chatId());
    void this.search.searchIn(this.chatId());
  }

  private focusComposerSoon(): void {
    afterNextRender(() => this.composer()?.focus(), { injector: this.injector });
  }
}

/** The drag carries files (not text or a link from the page). */
function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
