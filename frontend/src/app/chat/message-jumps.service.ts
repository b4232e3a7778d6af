import { Injectable, signal } from '@angular/core';

/** A request to show one message of a chat in its context. */
export interface MessageJump {
  chatId: string;
  messageId: string;
}

/**
 * Messages to go to (a search hit): the chat's message list takes the request once its box is
 * on screen, loads the history around the message (as a quote's jump does), and shows it
 * highlighted and focused.
 */
@Injectable()
export class MessageJumps {
  private readonly waiting = signal<MessageJump | null>(null);

  /** The jump waiting for its chat's message list, if any. */
  readonly pending = this.waiting.asReadonly();

  request(chatId: string, messageId: string): void {
    this.waiting.set({ chatId, messageId });
  }

  /** The message list has taken the jump. */
  taken(jump: MessageJump): void {
    if (this.waiting() === jump) this.waiting.set(null);
  }
}
