import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { withoutKey } from '../session/state/without-key';
import { LocalStore } from './local-store.service';

/** How long typing rests before the draft is written to the browser's storage. */
export const DRAFT_SAVE_DELAY_MS = 400;

/**
 * What the user has typed in each chat and not sent: kept while the chat box is closed, and in
 * the browser (a moment after typing stops, at once when the page is hidden or closed), so a
 * reload, even offline, finds it again. Sending the message clears it.
 */
@Injectable()
export class Drafts {
  private readonly local = inject(LocalStore);
  private readonly texts = signal<Readonly<Record<string, string>>>({});
  private readonly restored = signal(false);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly onPageHide = () => this.flush();

  /** The drafts the browser kept are in (or there were none). */
  readonly loaded = this.restored.asReadonly();

  constructor() {
    window.addEventListener('pagehide', this.onPageHide);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('pagehide', this.onPageHide);
      for (const timer of this.timers.values()) clearTimeout(timer);
      this.timers.clear();
    });
  }

  /** The drafts the browser kept; what was typed meanwhile stays. */
  restore(saved: Readonly<Record<string, string>>): void {
    this.texts.update((typed) => ({ ...saved, ...typed }));
    this.restored.set(true);
  }

  textOf(chatId: string): string {
    return this.texts()[chatId] ?? '';
  }

  /** The user typed: the draft is kept now, and written a moment later. */
  set(chatId: string, text: string): void {
    if (this.textOf(chatId) === text) return;
    this.texts.update((drafts) => (text ? { ...drafts, [chatId]: text } : withoutKey(drafts, chatId)));
    clearTimeout(this.timers.get(chatId));
    this.timers.set(
      chatId,
      setTimeout(() => this.save(chatId), DRAFT_SAVE_DELAY_MS),
    );
  }

  /** The message was sent: its draft goes, here and in the browser. */
  clear(chatId: string): void {
    clearTimeout(this.timers.get(chatId));
    this.timers.delete(chatId);
    this.texts.update((drafts) => withoutKey(drafts, chatId));
    void this.local.saveDraft(chatId, '');
  }

  /** Writes every draft still waiting for its delay. */
  flush(): void {
    for (const chatId of [...this.timers.keys()]) this.save(chatId);
  }

  private save(chatId: string): void {
    clearTimeout(this.timers.get(chatId));
    this.timers.delete(chatId);
    void this.local.saveDraft(chatId, this.textOf(chatId));
  }
}
