import { Injectable, inject } from '@angular/core';
import { ChatActions } from '../chats/chat-actions.service';
import { requestErrorText } from '../core/request-error-text';
import { ToastService } from '../core/toast.service';
import { SessionStore } from '../session/session-store';
import { ChatLayoutService } from './chat-layout.service';
import { MessageJumps } from './message-jumps.service';

/** Opens chats on the user's request: asks the server, then shows and focuses the box. */
@Injectable()
export class ChatNavigator {
  private readonly store = inject(SessionStore);
  private readonly actions = inject(ChatActions);
  private readonly layout = inject(ChatLayoutService);
  private readonly toasts = inject(ToastService);
  private readonly jumps = inject(MessageJumps);

  async openDirect(userId: string): Promise<void> {
    if (userId === this.store.me().id) return;
    const known = this.store.directChatWith(userId);
    if (known) {
      this.layout.show(known.id);
      return;
    }
    try {
      this.layout.show(await this.actions.openDirect(userId));
    } catch (error) {
      this.toasts.error(requestErrorText(error, 'Could not open the chat.'));
    }
  }

  /** Shows a listed chat; the box loads its history itself. */
  openChat(chatId: string): void {
    this.layout.show(chatId);
  }

  /** Shows a chat at one of its messages (a search hit): loaded in context, highlighted and focused. */
  openAt(chatId: string, messageId: string): void {
    this.layout.show(chatId, false);
    this.jumps.request(chatId, messageId);
  }
}
