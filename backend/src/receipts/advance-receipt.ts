import type { Receipt } from '../../../shared/src/schemas/receipts.js';
import { AppError } from '../app-error.js';
import { requireMember } from '../chats/membership-guard.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';

/**
 * Moves the actor's delivered or read position in a chat up to a message (never back) and, when it
 * moved, tells the chat's room with `chat:receipt`: senders turn ✓ into ✓✓ or "read", and the
 * actor's other tabs clear their unread count. Positions live in the membership, so a sender who
 * reconnects sees the same ticks through ChatSummary.members. Members only.
 */
export async function advanceReceipt(
  deps: { storage: Storage; live: LiveUpdates },
  actor: Actor,
  chatId: string,
  messageId: string,
  status: Receipt['status'],
): Promise<null> {
  const { storage, live } = deps;
  await requireMember(storage, chatId, actor.userId);
  const message = await storage.messages.byId(messageId);
  if (!message || message.chatId !== chatId) throw new AppError('not_found', 'Message not found in this chat');

  const position = status === 'read' ? { readSeq: message.seq } : { deliveredSeq: message.seq };
  const { member, changed } = await storage.members.advance(chatId, actor.userId, position);
  if (changed) {
    const readAt = status === 'read' ? member.readAt : null;
    const receipt: Receipt = { chatId, messageId: message.id, seq: message.seq, userId: actor.userId, status, readAt };
    live.toChat(chatId, 'chat:receipt', receipt, notBackTo(actor));
  }
  return null;
}
