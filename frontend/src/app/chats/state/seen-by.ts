import type { ChatMember } from '@shared';

/** A member who has read a message, and when their read position last moved (null: not known). */
export interface SeenByEntry {
  userId: string;
  readAt: string | null;
}

/**
 * Who has read a message: every member but the reader asking (`myId`) and the sender whose
 * read position reaches the message, earliest read first (unknown times last), then by id.
 */
export function seenBy(message: { seq: number; senderId: string | null }, members: readonly ChatMember[], myId: string): SeenByEntry[] {
  return members
    .filter((member) => member.userId !== myId && member.userId !== message.senderId && member.readSeq >= message.seq)
    .map((member) => ({ userId: member.userId, readAt: member.readAt }))
    .sort((a, b) => {
      if (a.readAt !== b.readAt) {
        if (a.readAt === null) return 1;
        if (b.readAt === null) return -1;
        return a.readAt.localeCompare(b.readAt);
      }
      return a.userId.localeCompare(b.userId);
    });
}
