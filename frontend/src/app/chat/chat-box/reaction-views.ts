import type { Reaction } from '@shared';
import type { ChatMessage } from '../../timeline/state/chat-message';

/** One reaction chip: the emoji, how many, whether one is ours, and who, in words. */
export interface ReactionView {
  emoji: string;
  count: number;
  mine: boolean;
  /** "You, Bruno Costa": for the chip's tooltip and the long-press list. */
  names: string;
  /** Our change to this emoji is on its way to the server. */
  pending: boolean;
}

/** The chips under a message, in the order the emoji were first used. */
export function reactionViews(message: ChatMessage, myId: string, nameOf: (id: string) => string): ReactionView[] {
  const pendingEmoji = new Set(
    (message.localChanges ?? []).flatMap((change) => (change.kind === 'react' ? [change.emoji] : [])),
  );
  return message.reactions.map((reaction: Reaction) => ({
    emoji: reaction.emoji,
    count: reaction.userIds.length,
    mine: reaction.userIds.includes(myId),
    names: reaction.userIds.map(nameOf).join(', '),
    pending: pendingEmoji.has(reaction.emoji),
  }));
}
