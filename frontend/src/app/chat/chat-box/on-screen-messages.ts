import { signal } from '@angular/core';

/** A message counts as on screen when this much of it (or of the list's height, for a tall one) shows. */
const ON_SCREEN_SHARE = 0.5;

/**
 * Which messages of a scrolling list are on screen (an IntersectionObserver over every element
 * with `data-message-id`, rooted at the list). Only what is on screen can count as read.
 */
export class OnScreenMessages {
  private readonly current = signal<ReadonlySet<string>>(new Set());
  private readonly observer: IntersectionObserver;
  /** Ids of the messages on screen now. */
  readonly ids = this.current.asReadonly();

  constructor(private readonly root: HTMLElement) {
    this.observer = new IntersectionObserver((entries) => this.changed(entries), { root, threshold: [0, 0.25, 0.5, 0.75, 1] });
    this.watch();
  }

  /** Watches every message element in the list (observing one twice changes nothing). */
  watch(): void {
    for (const message of Array.from(this.root.querySelectorAll<HTMLElement>('[data-message-id]'))) this.observer.observe(message);
  }

  /** Forgets what was on screen and looks afresh (the observer reports every message again). */
  restart(): void {
    this.current.set(new Set());
    this.observer.disconnect();
    this.watch();
  }

  disconnect(): void {
    this.observer.disconnect();
  }

  private changed(entries: readonly IntersectionObserverEntry[]): void {
    const next = new Set(this.current());
    for (const entry of entries) {
      const id = (entry.target as HTMLElement).dataset['messageId'];
      if (!id) continue;
      const rootHeight = entry.rootBounds?.height ?? 0;
      const shown =
        entry.target.isConnected &&
        entry.isIntersecting &&
        (entry.intersectionRatio >= ON_SCREEN_SHARE || (rootHeight > 0 && entry.intersectionRect.height >= rootHeight * ON_SCREEN_SHARE));
      if (shown) next.add(id);
      else next.delete(id);
    }
    // Messages no longer in the list are no longer on screen.
    for (const id of next) {
      if (!this.root.querySelector(`[data-message-id="${CSS.escape(id)}"]`)) next.delete(id);
    }
    this.current.set(next);
  }
}
