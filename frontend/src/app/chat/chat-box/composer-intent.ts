import { Injectable, signal } from '@angular/core';
import type { ChatMessage } from '../../timeline/state/chat-message';

/**
 * What the composer of one chat box is doing besides writing a new message: answering one
 * (`replyTo`), or changing one of ours (`editing`). The message list starts either; the
 * composer shows it, and ends it on send or Escape. Only one at a time.
 */
@Injectable()
export class ComposerIntent {
  readonly replyTo = signal<ChatMessage | null>(null);
  readonly editing = signal<ChatMessage | null>(null);
  /** Bumped when the composer should take focus (a reply or edit was chosen elsewhere). */
  readonly focusRequests = signal(0);

  reply(message: ChatMessage): void {
    this.editing.set(null);
    this.replyTo.set(message);
    this.focusRequests.update((n) => n + 1);
  }

  edit(message: ChatMessage): void {
    this.replyTo.set(null);
    this.editing.set(message);
    this.focusRequests.update((n) => n + 1);
  }

  clear(): void {
    this.replyTo.set(null);
    this.editing.set(null);
  }
}
