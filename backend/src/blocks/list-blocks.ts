import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';

/** The users the actor blocks (not those who block the actor: that stays private). */
export async function listBlocks(deps: { storage: Storage }, actor: Actor): Promise<{ userIds: string[] }> {
  return { userIds: await deps.storage.blocks.blockedBy(actor.userId) };
}
