import { mentionedIds } from '../../../shared/src/schemas/mentions.js';
import type { MemberList } from '../storage/storage.js';

/**
 * The users a text message mentions, as stored with it: the ids its `<@userId>` tokens name that
 * are members of the chat at this moment, the sender left out, in order of first mention. A
 * token naming anyone else has no effect.
 */
export function mentionsOf(body: string, members: MemberList, senderId: string): string[] {
  const named = mentionedIds(body);
  if (named.length === 0) return [];
  const memberIds = new Set(members.map((member) => member.userId));
  return named.filter((userId) => userId !== senderId && memberIds.has(userId));
}
