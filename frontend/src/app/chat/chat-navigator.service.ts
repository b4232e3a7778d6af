import { Injectable, inject } from '@angular/core';
import { MainService } from '../core/main.service';
import { requestErrorText } from '../core/request-error-text';
import { ToastService } from '../core/toast.service';
import { ChatLayoutService } from './chat-layout.service';

/** Opens chats on the user's request: asks the server, then shows and focuses the box. */
@Injectable({ providedIn: 'root' })
export class ChatNavigator {
  private readonly main = inject(MainService);
  private readonly layout = inject(ChatLayoutService);
  private readonly toasts = inject(ToastService);

  async openDirect(userId: string): Promise<void> {
    if (userId === this.main.currentUser()?.id) return;
    const known = this.main.directChatWith(userId);
    if (known) {
      this.layout.show(known.id);
      return;
    }
    try {
      this.layout.show(await this.main.openDirect(userId));
    } catch (error) {
      this.toasts.error(requestErrorText(error, 'Could not open the chat.'));
    }
  }

  /** Shows a listed chat; the box loads its history itself. */
  openChat(chatId: string): void {
    this.layout.show(chatId);
  }
}
