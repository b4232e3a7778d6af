import type { DeletedBy, Message, Reaction } from '@shared';
import { mentionedIds } from '@shared/mention-tokens';

/**
 * A change of ours to a stored message, shown at once and sent through the outbox: `id` names it
 * until the server acks it (or refuses it, and it is taken back).
 */
export type LocalChange =
  | { id: string; kind: 'edit'; body: string; at: string }
  | { id: string; kind: 'delete'; by: DeletedBy; at: string }
  | { id: string; kind: 'react'; emoji: string; on: boolean; userId: string };

/** The message as it will be once the server has applied the change. */
export function applyLocalChange(message: Message, change: LocalChange): Message {
  if (message.deletedAt !== null) return message;
  switch (change.kind) {
    case 'edit':
      return { ...message, body: change.body, editedAt: change.at, mentions: mentionedIds(change.body).filter((id) => id !== message.senderId) };
    case 'delete':
      // A tombstone, as the server keeps it: no body, no reactions, no quote.
      return { ...message, body: '', deletedAt: change.at, deletedBy: change.by, reactions: [], replyTo: null, mentions: [] };
    case 'react':
      return { ...message, reactions: react(message.reactions, change.emoji, change.userId, change.on) };
  }
}

/** Puts `userId`'s reaction with `emoji` on (last among its reactors) or takes it off; an emoji nobody keeps goes. */
export function react(reactions: readonly Reaction[], emoji: string, userId: string, on: boolean): Reaction[] {
  const existing = reactions.find((r) => r.emoji === emoji);
  if (on) {
    if (existing?.userIds.includes(userId)) return [...reactions];
    if (!existing) return [...reactions, { emoji, userIds: [userId] }];
    return reactions.map((r) => (r === existing ? { emoji, userIds: [...r.userIds, userId] } : r));
  }
  return reactions
    .map((r) => (r === existing ? { emoji, userIds: r.userIds.filter((id) => id !== userId) } : r))
    .filter((r) => r.userIds.length > 0);
}
