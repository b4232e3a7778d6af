import type { MessageReceipts } from '../chats/state/tick-state';

const DIRECT: Record<MessageReceipts['state'], string> = {
  pending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Seen',
};

/**
 * What the ticks mean, in words (their tooltip and accessible name). In a group a single ✓
 * can mean "most have it, one is offline", so the words say how many got it.
 */
export function tickLabel(receipts: MessageReceipts, group: boolean): string {
  const { state, others, delivered, read } = receipts;
  if (!group || state === 'pending' || others === 1) return DIRECT[state];
  switch (state) {
    case 'sent':
      return others === 0 ? 'Sent · no one else is in the group yet' : `Sent · delivered to ${delivered} of ${others}`;
    case 'delivered':
      return read > 0 ? `Delivered to all ${others} · seen by ${read} of ${others}` : `Delivered to all ${others}`;
    case 'read':
      return `Seen by all ${others}`;
  }
}
