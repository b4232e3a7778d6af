import type { UserRef } from '../../../shared/src/schemas/presence.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';

/** Lifts the actor's block on a user (harmless when there was none). A block by the other side stays. */
export async function unblockUser(deps: { storage: Storage }, actor: Actor, request: UserRef): Promise<null> {
  await deps.storage.blocks.unblock(actor.userId, request.userId);
  return null;
}
