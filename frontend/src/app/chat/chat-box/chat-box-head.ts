import { focusedElement } from '../../core/focused-element';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  Injector,
  afterNextRender,
  inject,
  output,
  signal,
  viewChild,
} from '@angular/core';
import type { NotifyLevel } from '@shared';
import { ChatActions } from '../../chats/chat-actions.service';
import { requestErrorText } from '../../core/request-error-text';
import { ToastService } from '../../core/toast.service';
import { TypingService } from '../../typing/typing.service';
import { ChatLayoutService } from '../chat-layout.service';
import { UserAvatar } from '../user-avatar';
import { ChatBoxModel } from './chat-box-model';

/** What the header's menu asks the box to do. */
export type ChatBoxAction = 'search' | 'settings' | 'delete' | 'leave' | 'block';

/** The chat box's header: who it is with, its options menu, and back/close. */
@Component({
  selector: 'header[appChatBoxHead]',
  imports: [UserAvatar],
  templateUrl: './chat-box-head.html',
  styleUrl: './chat-box-head.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(document:click)': 'onDocumentClick($event)',
  },
})
export class ChatBoxHead {
  protected readonly box = inject(ChatBoxModel);
  protected readonly layout = inject(ChatLayoutService);
  private readonly typing = inject(TypingService);
  private readonly actions = inject(ChatActions);
  private readonly toasts = inject(ToastService);

  /** The notification levels the menu offers, as radio items. */
  protected readonly notifyLevels: ReadonlyArray<{ level: NotifyLevel; label: string }> = [
    { level: 'all', label: 'All messages' },
    { level: 'mentions', label: 'Mentions only' },
    { level: 'muted', label: 'Muted' },
  ];
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  private readonly menuAnchor = viewChild<ElementRef<HTMLElement>>('menuAnchor');
  private readonly menuButton = viewChild<ElementRef<HTMLButtonElement>>('menuButton');
  private readonly titleHeading = viewChild<ElementRef<HTMLElement>>('title');

  readonly menuOpen = signal(false);
  readonly action = output<ChatBoxAction>();
  /** The menu button was used: a question the box asked is dropped. */
  readonly menuToggled = output<void>();

  protected close(): void {
    const chatId = this.box.chatId();
    this.typing.stopTyping(chatId);
    this.layout.dismiss(chatId);
  }

  protected toggleMenu(): void {
    this.menuOpen.update((open) => !open);
    this.menuToggled.emit();
    if (this.menuOpen()) {
      afterNextRender(() => this.menuItems()[0]?.focus(), { injector: this.injector });
    }
  }

  protected choose(action: Exclude<ChatBoxAction, 'block'>): void {
    this.menuOpen.set(false);
    this.action.emit(action);
  }

  /** Blocking keeps the user where they were: focus goes back to the menu button. */
  protected chooseBlock(): void {
    this.menuOpen.set(false);
    this.restoreFocus();
    this.action.emit('block');
  }

  /** Sets our notification level of the chat; the menu stays open on the chosen item. */
  protected async chooseNotify(level: NotifyLevel): Promise<void> {
    if (this.box.chat()?.notify === level) return;
    try {
      await this.actions.setNotifyLevel(this.box.chatId(), level);
    } catch (error) {
      this.toasts.error(requestErrorText(error, 'Could not change the notifications of this chat.'));
    }
  }

  /** Up and down arrows move between the menu's items. */
  protected onMenuKey(event: KeyboardEvent): void {
    const items = this.menuItems();
    const index = items.indexOf(focusedElement() as HTMLElement);
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (!step || items.length === 0) return;
    event.preventDefault();
    items[(index + step + items.length) % items.length]!.focus();
  }

  /** Tabbing out of the open menu closes it. */
  protected onMenuFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (next && !this.menuAnchor()?.nativeElement.contains(next)) this.menuOpen.set(false);
  }

  /** A click anywhere outside the open menu closes it. */
  protected onDocumentClick(event: MouseEvent): void {
    if (!this.menuOpen()) return;
    const anchor = this.menuAnchor()?.nativeElement;
    if (anchor && !anchor.contains(event.target as Node)) this.menuOpen.set(false);
  }

  /** The chat's name takes the focus (a screen reader reads it) without raising a phone's keyboard. */
  focusTitle(): void {
    this.titleHeading()?.nativeElement.focus();
  }

  focusMenuButton(): void {
    this.menuButton()?.nativeElement.focus();
  }

  /** After a menu item removed itself, focus goes back to the menu button (if nothing else took it). */
  restoreFocus(): void {
    if (this.destroyRef.destroyed) return;
    afterNextRender(
      () => {
        const focused = focusedElement();
        if (!focused || focused === document.body) this.focusMenuButton();
      },
      { injector: this.injector },
    );
  }

  private menuItems(): HTMLElement[] {
    return Array.from(this.menuAnchor()?.nativeElement.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemradio"]') ?? []);
  }
}
