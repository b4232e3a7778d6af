import type { ChatSummary, Message } from '@shared';
import type { ChatMessage } from '../../timeline/state/chat-message';

/** What a chat's row in the list shows as its last line. */
export interface ChatPreview {
  message: Message | null;
  /** Ours, still on its way (not yet stored): shown as such, never as sent. */
  pending: boolean;
}

/**
 * The chat's last line: our newest message still on its way, else the newest stored one. A
 * message the server refused is never shown there: it stays in the chat, marked, until retried
 * or deleted.
 */
export function chatPreview(chat: ChatSummary, list: readonly ChatMessage[]): ChatPreview {
  for (let i = list.length - 1; i >= 0; i--) {
    const message = list[i]!;
    if (message.local === 'pending') return { message, pending: true };
  }
  return { message: chat.lastMessage, pending: false };
}
