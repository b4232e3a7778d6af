import type { Message } from '@shared';

/**
 * A message as the client shows it: a stored message, or one of ours still waiting for the
 * server's ack (`local: 'pending'`), or refused by it (`local: 'failed'`).
 */
export type ChatMessage = Message & {
  local?: 'pending' | 'failed';
  /** Why a failed message was refused. */
  error?: string;
};

export function pendingMessage(chatId: string, senderId: string, clientId: string, body: string, now: Date): ChatMessage {
  return {
    id: `local:${clientId}`,
    chatId,
    seq: 0,
    kind: 'text',
    senderId,
    clientId,
    body,
    notice: null,
    createdAt: now.toISOString(),
    local: 'pending',
  };
}
