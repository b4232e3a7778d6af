import type { ReadRequest } from '../../../shared/src/schemas/receipts.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { advanceReceipt } from './advance-receipt.js';

/** The actor read the chat up to and including `upTo`: its unread count drops to what came after. Read implies delivered. */
export function markRead(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, request: ReadRequest): Promise<null> {
  return advanceReceipt(deps, actor, request.chatId, request.upTo, 'read');
}
