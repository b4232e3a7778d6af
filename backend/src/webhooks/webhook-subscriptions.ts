import type {
  CreateWebhookRequest,
  ReplayWebhookRequest,
  UpdateWebhookRequest,
  Webhook,
} from '../../../shared/src/schemas/webhooks.js';
import type { AuditSource, AuditTrail } from '../admin/audit-trail.js';
import { AppError } from '../app-error.js';
import type { Storage, WebhookRecord } from '../storage/storage.js';
import { assertWebhookUrlAllowed, type Resolver } from './outbound-address.js';
import { newWebhookSecret } from './webhook-signature.js';

/** What the webhook admin use cases work with. */
export interface WebhookAdminDeps {
  storage: Storage;
  audit: AuditTrail;
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE: URLs may point to loopback and private networks. */
  allowPrivate: boolean;
  /** The resolver URLs are checked with when registered; the system's by default. */
  resolve?: Resolver;
  /** Tells this process's dispatcher to look now rather than at its next poll. */
  wake(): void;
}

export interface WebhookTarget {
  id: string;
}

/** Everything an administrator sees of a subscription; never its secret. */
export function webhookView(record: WebhookRecord, headPosition: number): Webhook {
  return {
    id: record.id,
    url: record.url,
    events: record.events,
    active: record.active,
    status: {
      cursor: record.cursor,
      headPosition,
      failingSince: record.failingSince,
      lastError: record.lastError,
      lastAttemptAt: record.lastAttemptAt,
      nextAttemptAt: record.nextAttemptAt,
      lastDeliveredAt: record.lastDeliveredAt,
      pausedReason: record.pausedReason,
    },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

async function load(storage: Storage, id: string): Promise<WebhookRecord> {
  const record = await storage.webhooks.byId(id);
  if (!record) throw new AppError('not_found', 'No such webhook');
  return record;
}

async function view(storage: Storage, record: WebhookRecord): Promise<Webhook> {
  return webhookView(record, await storage.events.headPosition());
}

/**
 * Registers a subscription. It starts at the head of the log: it receives what happens from
 * now on (replay reaches back). Without a secret, one is generated; either way the answer is
 * the only time it is shown.
 */
export async function createWebhook(deps: WebhookAdminDeps, actor: AuditSource, input: CreateWebhookRequest) {
  await assertWebhookUrlAllowed(input.url, deps.webhooks);
  const secret = input.secret ?? newWebhookSecret();
  const record = await deps.storage.webhooks.create({
    url: input.url,
    events: input.events,
    secret,
    active: input.active ?? true,
    cursor: await deps.storage.events.headPosition(),
  });
  await deps.audit.record(actor, 'webhook.create', record.id, { url: record.url, events: record.events });
  deps.webhooks.wake();
  return { webhook: await view(deps.storage, record), secret };
}

export async function listWebhooks(deps: WebhookAdminDeps) {
  const [records, head] = await Promise.all([deps.storage.webhooks.list(), deps.storage.events.headPosition()]);
  return { webhooks: records.map((record) => webhookView(record, head)) };
}

export async function getWebhook(deps: WebhookAdminDeps, _actor: AuditSource, _input: undefined, target: WebhookTarget) {
  return view(deps.storage, await load(deps.storage, target.id));
}

/** Changes the URL, filter, secret or active flag. Activating clears a pause and its failure state. */
export async function updateWebhook(deps: WebhookAdminDeps, actor: AuditSource, patch: UpdateWebhookRequest, target: WebhookTarget) {
  await load(deps.storage, target.id);
  if (patch.url !== undefined) await assertWebhookUrlAllowed(patch.url, deps.webhooks);
  const record = await deps.storage.webhooks.update(target.id, {
    ...patch,
    ...(patch.active === true && resumed),
    ...(patch.active === false && { pausedReason: 'Deactivated by an administrator' }),
  });
  await deps.audit.record(actor, 'webhook.update', record.id, { fields: Object.keys(patch) });
  deps.webhooks.wake();
  return view(deps.storage, record);
}

export async function deleteWebhook(deps: WebhookAdminDeps, actor: AuditSource, _input: undefined, target: WebhookTarget) {
  await load(deps.storage, target.id);
  await deps.storage.webhooks.delete(target.id);
  await deps.audit.record(actor, 'webhook.delete', target.id);
  return null;
}

const resumed = { active: true, pausedReason: null, failingSince: null, lastError: null, nextAttemptAt: null, attempts: 0 };

export async function pauseWebhook(deps: WebhookAdminDeps, actor: AuditSource, input: { reason?: string | undefined }, target: WebhookTarget) {
  await load(deps.storage, target.id);
  const record = await deps.storage.webhooks.update(target.id, { active: false, pausedReason: input.reason || 'Paused by an administrator' });
  await deps.audit.record(actor, 'webhook.pause', record.id, {});
  return view(deps.storage, record);
}

/** Delivery goes on from the cursor, at once: the failure state is cleared. */
export async function resumeWebhook(deps: WebhookAdminDeps, actor: AuditSource, _input: unknown, target: WebhookTarget) {
  await load(deps.storage, target.id);
  const record = await deps.storage.webhooks.update(target.id, resumed);
  await deps.audit.record(actor, 'webhook.resume', record.id, {});
  deps.webhooks.wake();
  return view(deps.storage, record);
}

/**
 * Moves the cursor: the next batch holds the events after `position`, backwards (again) or
 * forwards (skipping). Not beyond the head of the log. Clears the failure state; a paused
 * subscription stays paused until resumed.
 */
export async function replayWebhook(deps: WebhookAdminDeps, actor: AuditSource, input: ReplayWebhookRequest, target: WebhookTarget) {
  const existing = await load(deps.storage, target.id);
  const head = await deps.storage.events.headPosition();
  if (input.position > head) {
    throw new AppError('validation_failed', 'Beyond the newest event', { position: `must be at most ${head}, the newest position` });
  }
  const record = await deps.storage.webhooks.update(target.id, {
    cursor: input.position,
    failingSince: null,
    lastError: null,
    nextAttemptAt: null,
    attempts: 0,
  });
  await deps.audit.record(actor, 'webhook.replay', record.id, { from: existing.cursor, to: input.position });
  deps.webhooks.wake();
  return webhookView(record, head);
}
