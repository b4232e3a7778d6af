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
 * seen at all (narrow screens show one; a hidden tab shows none).
 */
@Injectable({ providedIn: 'root' })
export class ChatLayoutService {
  private readonly open = signal<readonly string[]>([]);
  private readonly active = signal<string | null>(null);
  private readonly focusTicket = signal<{ chatId: string; ticket: number } | null>(null);
  private readonly narrowScreen = signal(false);
  private readonly coarsePointer = signal(false);
  private readonly tabVisible = signal(true);
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
    const onMedia = (event: MediaQueryListEvent) => this.narrowScreen.set(event.matches);
    const onVisibility = () => this.tabVisible.set(document.visibilityState !== 'hidden');
    media.addEventListener('change', onMedia);
    document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      media.removeEventListener('change', onMedia);
      pointer.removeEventListener('change', onPointer);
      document.removeEventListener('visibilitychange', onVisibility);
    });
  }

  /**
   * The user chose a chat: open its box (closing the oldest if needed) and focus it. With
   * `focus` false the box does not take the focus itself (a jump to a message focuses that).
   */
  show(chatId: string, focus = true): void {
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
   * taking focus. Returns false when it stays closed (its unread badge shows instead).
   */
  popUp(chatId: string): boolean {
    const ids = this.open();
    if (ids.includes(chatId)) return true;
    if (this.narrowScreen() || ids.length >= MAX_OPEN_BOXES) return false;
    this.open.set([...ids, chatId]);
    return true;
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

  /** Whether the user can see this chat's box right now. */
  isVisible(chatId: string): boolean {
    return this.tabVisible() && this.visibleIds().includes(chatId);
  }

  reset(): void {
    this.open.set([]);
    this.active.set(null);
    this.focusTicket.set(null);
  }

  private oldestClosable(ids: readonly string[]): string | undefined {
    return ids.find((id) => id !== this.active()) ?? ids[0];
  }
}
