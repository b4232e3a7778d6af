import { Injectable, signal } from '@angular/core';

/**
 * What screen readers are told about things that happen out of sight of the focus: new messages
 * from others and who is typing, in any open chat. The chat page shows `text` in its one polite
 * live region, so however many chat boxes are open, each event is announced once. The boxes
 * themselves are not live regions.
 */
@Injectable({ providedIn: 'root' })
export class Announcer {
  private readonly current = signal('');
  /** The live region's text. */
  readonly text = this.current.asReadonly();

  announce(text: string): void {
    const clean = text.trim();
    if (!clean) return;
    // The same words twice in a row are still a change of the region's text, so they are read again.
    this.current.update((previous) => (previous === clean ? `${clean}\u00a0` : clean));
  }
}
