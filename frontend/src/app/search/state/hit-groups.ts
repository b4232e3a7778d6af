import type { SearchHit } from '@shared';

/** The hits of one chat, in the order the server gave them (newest first). */
export interface HitGroup {
  chatId: string;
  hits: readonly SearchHit[];
}

/** Groups hits by chat: the chat with the newest hit first, each chat once. */
export function groupHitsByChat(hits: readonly SearchHit[]): HitGroup[] {
  const groups = new Map<string, SearchHit[]>();
  for (const hit of hits) {
    const group = groups.get(hit.chatId);
    if (group) group.push(hit);
    else groups.set(hit.chatId, [hit]);
  }
  return [...groups].map(([chatId, grouped]) => ({ chatId, hits: grouped }));
}

/** The hits in the order the groups show them: the order the arrow keys go through. */
export function hitsInGroupOrder(groups: readonly HitGroup[]): SearchHit[] {
  return groups.flatMap((group) => group.hits);
}

/**
 * Which hit is active after a key: ArrowDown and ArrowUp move one (Down from none to the first,
 * Up from none to the last), Home and End go to the ends; other keys, or no hits, give null.
 * `active` is -1 when none is.
 */
export function movedActive(active: number, count: number, key: string): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return active < 0 ? 0 : Math.min(active + 1, count - 1);
    case 'ArrowUp':
      return active < 0 ? count - 1 : Math.max(active - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
