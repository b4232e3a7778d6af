import type { DeliveredRequest } from '../../../shared/src/schemas/receipts.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { advanceReceipt } from './advance-receipt.js';

/** The actor's client received every message up to `messageId` (✓✓ for its senders). */
export function markDelivered(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, request: DeliveredRequest): Promise<null> {
  return advanceReceipt(deps, actor, request.chatId, request.messageId, 'delivered');
}
