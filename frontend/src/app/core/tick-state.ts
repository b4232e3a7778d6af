import type { ChatMember } from '@shared';
import type { ChatMessage } from './chat-message';

/**
 * What the ticks beside one of our own messages say: waiting for the server, stored (✓),
 * received by every other member (✓✓), or read by every other member (coloured ✓✓).
 */
export type TickState = 'pending' | 'sent' | 'delivered' | 'read';

export function tickState(message: ChatMessage, members: readonly ChatMember[], myId: string): TickState {
  if (message.local) return 'pending';
  const others = members.filter((m) => m.userId !== myId);
  if (others.length === 0) return 'sent';
  if (others.every((m) => m.readSeq >= message.seq)) return 'read';
  if (others.every((m) => Math.max(m.deliveredSeq, m.readSeq) >= message.seq)) return 'delivered';
  return 'sent';
}
