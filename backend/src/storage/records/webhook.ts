/** The webhook subscription record both adapters store. */
import type { NewWebhook, WebhookRecord } from '../storage.js';

/** A subscription created `now`: never attempted, not failing, not paused. */
export function newWebhookRecord(webhook: NewWebhook, id: string, now: string): WebhookRecord {
  return {
    id,
    ...webhook,
    events: [...webhook.events],
    failingSince: null,
    lastError: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
    lastDeliveredAt: null,
    attempts: 0,
    pausedReason: null,
    createdAt: now,
    updatedAt: now,
  };
}
