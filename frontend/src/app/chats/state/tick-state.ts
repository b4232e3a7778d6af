import type { ChatMember, ReceiptStatus } from '@shared';
import type { ChatMessage } from '../../timeline/state/chat-message';

/**
 * What the ticks beside one of our own messages say: waiting for the server, stored (✓),
 * received by every other member (✓✓), or read by every other member (coloured ✓✓).
 */
export type TickState = 'pending' | 'sent' | ReceiptStatus;

/** How far one of our messages got: its tick, and how many of the other members have it. */
export interface MessageReceipts {
  state: TickState;
  /** The other members of the chat (everyone but us). */
  others: number;
  /** Other members whose device received it (reading counts as receiving). */
  delivered: number;
  /** Other members who read it. */
  read: number;
}

export function messageReceipts(message: ChatMessage, members: readonly ChatMember[], myId: string): MessageReceipts {
  const others = members.filter((m) => m.userId !== myId);
  const delivered = others.filter((m) => Math.max(m.deliveredSeq, m.readSeq) >= message.seq).length;
  const read = others.filter((m) => m.readSeq >= message.seq).length;
  const counts = { others: others.length, delivered, read };
  if (message.local) return { state: 'pending', ...counts, delivered: 0, read: 0 };
  if (others.length === 0) return { state: 'sent', ...counts };
  if (read === others.length) return { state: 'read', ...counts };
  if (delivered === others.length) return { state: 'delivered', ...counts };
  return { state: 'sent', ...counts };
}

export function tickState(message: ChatMessage, members: readonly ChatMember[], myId: string): TickState {
  return messageReceipts(message, members, myId).state;
}
