import { DestroyRef, Injectable, InjectionToken, computed, inject, signal } from '@angular/core';

/** Below this width one chat box fills the screen and a back button returns to the lists. */
export const NARROW_QUERY = new InjectionToken<string>('NARROW_QUERY', {
  providedIn: 'root',
  factory: () => '(max-width: 700px)',
});
/** A touch screen: a finger, not a mouse, is the main pointer. */
export const COARSE_POINTER_QUERY = new InjectionToken<string>('COARSE_POINTER_QUERY', {
  providedIn: 'root',
  factory: () => '(pointer: coarse)',
});
export const MAX_OPEN_BOXES = 3;

/**
 * Which chat boxes are open, which one has the user's attention, and whether a box can be
 * seen at all (narrow screens show one; a hidden tab or a window without focus shows none to
 * read). A box the user closed does not pop up again for new messages until they open it.
 */
@Injectable({ providedIn: 'root' })
export class ChatLayoutService {
  private readonly open = signal<readonly string[]>([]);
  private readonly active = signal<string | null>(null);
  private readonly focusTicket = signal<{ chatId: string; ticket: number } | null>(null);
  private readonly narrowScreen = signal(false);
  private readonly coarsePointer = signal(false);
  private readonly tabVisible = signal(true);
  private readonly windowFocused = signal(true);
  /** Chats whose box the user closed in this session: their new messages badge the chat list instead of popping up. */
  private readonly dismissed = signal<ReadonlySet<string>>(new Set());
  private tickets = 0;

  readonly openIds = this.open.asReadonly();
  readonly activeId = this.active.asReadonly();
  readonly narrow = this.narrowScreen.asReadonly();
  /**
   * Whether opening a chat puts the focus in its message field. Not on a phone (a narrow screen
   * or a touch screen): there the focus would raise the on-screen keyboard over the chat the
   * user wants to read. Desktop keeps typing right away.
   */
  readonly focusComposerOnOpen = computed(() => !this.narrowScreen() && !this.coarsePointer());
  readonly pageVisible = this.tabVisible.asReadonly();
  /** The user can be reading: the tab is visible and its window has the focus. */
  readonly attentive = computed(() => this.tabVisible() && this.windowFocused());
  /** A chat box asked to take keyboard focus (opened or re-selected by the user). */
  readonly focusRequest = this.focusTicket.asReadonly();
  /** The boxes on screen: all open ones, or on a narrow screen only the active one. */
  readonly visibleIds = computed(() => {
    if (!this.narrowScreen()) return this.open();
    const active = this.active();
    return active && this.open().includes(active) ? [active] : [];
  });

  constructor() {
    const media = window.matchMedia(inject(NARROW_QUERY));
    this.narrowScreen.set(media.matches);
    const pointer = window.matchMedia(inject(COARSE_POINTER_QUERY));
    this.coarsePointer.set(pointer.matches);
    const onPointer = (event: MediaQueryListEvent) => this.coarsePointer.set(event.matches);
    pointer.addEventListener('change', onPointer);
    this.tabVisible.set(document.visibilityState !== 'hidden');
    this.windowFocused.set(document.hasFocus());
    const onMedia = (event: MediaQueryListEvent) => this.narrowScreen.set(event.matches);
    const onVisibility = () => this.tabVisible.set(document.visibilityState !== 'hidden');
    const onFocus = () => this.windowFocused.set(true);
    const onBlur = () => this.windowFocused.set(false);
    media.addEventListener('change', onMedia);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('focus', onFocus);
    window.addEventListener('blur', onBlur);
    inject(DestroyRef).onDestroy(() => {
      media.removeEventListener('change', onMedia);
      pointer.removeEventListener('change', onPointer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
    });
  }

  /**
   * The user chose a chat: open its box (closing the oldest if needed) and focus it. With
   * `focus` false the box does not take the focus itself (a jump to a message focuses that).
   */
  show(chatId: string, focus = true): void {
    this.forgetDismissed(chatId);
    this.open.update((ids) => {
      if (ids.includes(chatId)) return ids;
      const kept = ids.length >= MAX_OPEN_BOXES ? ids.filter((id) => id !== this.oldestClosable(ids)) : ids;
      return [...kept, chatId];
    });
    this.active.set(chatId);
    if (focus) this.focusTicket.set({ chatId, ticket: ++this.tickets });
  }

  /**
   * A message arrived in a chat that is not open: pop its box up when there is room, without
   * taking focus (popping up reads nothing: only what the user then sees counts as read).
   * Returns false when it stays closed (its unread badge shows instead): on a narrow screen,
   * with no room, or for a chat the user closed in this session.
   */
  popUp(chatId: string): boolean {
    const ids = this.open();
    if (ids.includes(chatId)) return true;
    if (this.narrowScreen() || ids.length >= MAX_OPEN_BOXES || this.dismissed().has(chatId)) return false;
    this.open.set([...ids, chatId]);
    return true;
  }

  /** The user closed the box (its close or back button): it stays closed for new messages until they open it again. */
  dismiss(chatId: string): void {
    this.dismissed.update((ids) => new Set(ids).add(chatId));
    if (this.narrowScreen()) this.back(chatId);
    else this.close(chatId);
  }

  close(chatId: string): void {
    const remaining = this.open().filter((id) => id !== chatId);
    this.open.set(remaining);
    if (this.active() === chatId) this.active.set(this.narrowScreen() ? null : (remaining.at(-1) ?? null));
  }

  /** The back button on a narrow screen: leave the chat, show the lists. */
  back(chatId: string): void {
    this.close(chatId);
    this.active.set(null);
  }

  activate(chatId: string): void {
    if (this.open().includes(chatId)) this.active.set(chatId);
  }

  isOpen(chatId: string): boolean {
    return this.open().includes(chatId);
  }

  /** Whether the user can see this chat's box right now (and so read what is on screen in it). */
  isVisible(chatId: string): boolean {
    return this.attentive() && this.visibleIds().includes(chatId);
  }

  /** The panels open at the last visit come back, without taking focus; the last one is active. */
  restore(chatIds: readonly string[]): void {
    const ids = [...new Set([...this.open(), ...chatIds])].slice(-MAX_OPEN_BOXES);
    this.open.set(ids);
    if (!this.active() && !this.narrowScreen()) this.active.set(ids.at(-1) ?? null);
  }

  reset(): void {
    this.dismissed.set(new Set());
    this.open.set([]);
    this.active.set(null);
    this.focusTicket.set(null);
  }

  private forgetDismissed(chatId: string): void {
    if (!this.dismissed().has(chatId)) return;
    this.dismissed.update((ids) => {
      const next = new Set(ids);
      next.delete(chatId);
      return next;
    });
  }

  private oldestClosable(ids: readonly string[]): string | undefined {
    return ids.find((id) => id !== this.active()) ?? ids[0];
  }
}
