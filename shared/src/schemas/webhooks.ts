import { z } from 'zod';
import { idSchema } from './common.js';
import { named } from './wire-registry.js';

/** Payloads of the webhook admin API (/api/admin/webhooks) and what a host's endpoint receives. */

/** Every event a subscription can ask for. */
export const WEBHOOK_EVENT_TYPES = [
  'message.created',
  'message.edited',
  'message.deleted',
  'member.joined',
  'member.left',
  'user.mentioned',
  'message.unread_for_offline_user',
] as const;
export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** `whsec_` and the base64 of 24 to 64 random bytes (Standard Webhooks). */
export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'must be whsec_ followed by the base64 of 24 to 64 bytes');

export const webhookUrlSchema = z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }).max(2048, 'must be at most 2048 characters');

/** The events a subscription receives; at least one, each once. */
const eventFilterSchema = z
  .array(webhookEventTypeSchema)
  .min(1, 'must name at least one event')
  .refine((events) => new Set(events).size === events.length, 'must not repeat an event');

/** A new subscription. Without `secret`, one is generated and answered once. */
export const createWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  events: eventFilterSchema,
  secret: webhookSecretSchema.optional(),
  active: z.boolean().optional(),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookSchema>;

/** Changes to a subscription; at least one field. A new `secret` replaces the old one at once. */
export const updateWebhookSchema = z
  .strictObject({
    url: webhookUrlSchema.optional(),
    events: eventFilterSchema.optional(),
    secret: webhookSecretSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type UpdateWebhookRequest = z.infer<typeof updateWebhookSchema>;

export const webhookIdSchema = z.strictObject({ id: idSchema });

/** Where delivery starts again: the next batch holds the events after `position` (0: the oldest kept). */
export const replayWebhookSchema = z.strictObject({
  position: z.int('must be an integer').min(0, 'must be at least 0'),
});
export type ReplayWebhookRequest = z.infer<typeof replayWebhookSchema>;

export const pauseWebhookSchema = z.strictObject({
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});

/** How delivery stands. */
export const webhookStatusSchema = named(
  'WebhookStatus',
  z.strictObject({
    /** The position of the last event delivered (or skipped by the filter); the next batch starts after it. */
    cursor: z.number(),
    /** The newest position in the event log. */
    headPosition: z.number(),
    /** When the current run of failures began; null while deliveries succeed. */
    failingSince: z.string().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    lastDeliveredAt: z.string().nullable(),
    /** Why the subscription is paused (by an administrator, or after WEBHOOK_PAUSE_AFTER_H hours of failure); null when not. */
    pausedReason: z.string().nullable(),
  }),
);

export const webhookSchema = named(
  'Webhook',
  z.strictObject({
    id: z.string(),
    url: z.string(),
    events: z.array(webhookEventTypeSchema),
    /** Inactive subscriptions are kept but not delivered; a paused one is inactive with a reason. */
    active: z.boolean(),
    status: webhookStatusSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export type Webhook = z.infer<typeof webhookSchema>;

/** The answer to a creation: the subscription and its secret, which is never shown again. */
export const createdWebhookSchema = named('CreatedWebhook', z.strictObject({ webhook: webhookSchema, secret: z.string() }));
export const webhookListSchema = named('WebhookList', z.strictObject({ webhooks: z.array(webhookSchema) }));

/** A user as events name them: the host maps `externalId` (the SSO `sub`) to its own accounts. */
export const webhookUserSchema = z.strictObject({ id: z.string(), username: z.string(), externalId: z.string().nullable() });

/** A message as events carry it, as it is when the batch is sent (a deleted message has an empty body). */
export const webhookMessageSchema = z.strictObject({
  id: z.string(),
  chatId: z.string(),
  seq: z.number(),
  kind: z.string(),
  sender: webhookUserSchema.nullable(),
  body: z.string(),
  replyToId: z.string().nullable(),
  mentions: z.array(z.string()),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
});

/** One event of a delivery. `id` is the same on every delivery of the event: de-duplicate on it. */
export const webhookEventSchema = z.strictObject({
  id: z.string(),
  type: webhookEventTypeSchema,
  /** Increasing over the whole log; a replay takes one. */
  position: z.number(),
  createdAt: z.string(),
  data: z.strictObject({
    chatId: z.string(),
    /** The member, the mentioned user or the offline user; null for message events. */
    user: webhookUserSchema.nullable(),
    /** null for member events, and when the message was erased (its sender's account deleted with `messages=erase`). */
    message: webhookMessageSchema.nullable(),
  }),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The JSON body of a delivery. */
export const webhookBatchSchema = z.strictObject({ subscriptionId: z.string(), events: z.array(webhookEventSchema) });
export type WebhookBatch = z.infer<typeof webhookBatchSchema>;
