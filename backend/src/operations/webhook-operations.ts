import {
  createdWebhookSchema,
  createWebhookSchema,
  pauseWebhookSchema,
  replayWebhookSchema,
  updateWebhookSchema,
  webhookIdSchema,
  webhookListSchema,
  webhookSchema,
} from '../../../shared/src/schemas/webhooks.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  pauseWebhook,
  replayWebhook,
  resumeWebhook,
  updateWebhook,
} from '../webhooks/webhook-subscriptions.js';
import { operation, type RestBinding } from './operation.js';

const statusNote =
  '`status` shows the cursor (the last position delivered), the head of the event log, and the failure state: ' +
  '`failingSince`, `lastError`, `nextAttemptAt`, and `pausedReason` when the subscription is paused.';

/** A route on one subscription, `/api/admin/webhooks/:id` and what follows it; an unknown id answers 404. */
function onOne({ below = '', ...route }: Pick<RestBinding<unknown>, 'method' | 'input' | 'success' | 'summary' | 'description'> & { below?: string }) {
  return { ...route, path: `/api/admin/webhooks/:id${below}`, errors: [400, 404], tag: 'webhooks' };
}

const changed = { 200: 'The subscription after the change' } as const;
const optionalBody = { from: 'raw-body', orEmpty: true, required: false } as const;

/**
 * Webhook subscriptions under /api/admin/webhooks, for administrators' access tokens and
 * ADMIN_API_KEY. REST only. Delivery itself is webhooks/webhook-dispatcher.ts.
 */
export const webhookOperations = [
  operation({
    name: 'adminCreateWebhook',
    access: 'admin',
    input: createWebhookSchema,
    output: createdWebhookSchema,
    rest: {
      method: 'post',
      path: '/api/admin/webhooks',
      input: { from: 'raw-body', required: true },
      success: { 201: 'The subscription, and its secret: the only time the secret is shown' },
      errors: [400],
      tag: 'webhooks',
      summary: 'Subscribe a URL to events',
      description:
        '`events`: one or more of message.created, message.edited, message.deleted, member.joined, member.left, user.mentioned, ' +
        'message.unread_for_offline_user. `secret`: `whsec_` and the base64 of 24 to 64 bytes; generated when left out. ' +
        'The subscription starts at the head of the event log (replay reaches back). The URL must not point to loopback, private, ' +
        'link-local, unique-local or multicast addresses (400) unless the server runs with WEBHOOK_ALLOW_PRIVATE=1.',
    },
    run: createWebhook,
  }),
  operation({
    name: 'adminListWebhooks',
    access: 'admin',
    input: undefined,
    output: webhookListSchema,
    rest: {
      method: 'get',
      path: '/api/admin/webhooks',
      input: { from: 'none' },
      success: { 200: 'Every subscription, oldest first' },
      tag: 'webhooks',
      summary: 'List webhook subscriptions with their delivery status',
      description: statusNote,
    },
    run: listWebhooks,
  }),
  operation({
    name: 'adminGetWebhook',
    access: 'admin',
    target: webhookIdSchema,
    input: undefined,
    output: webhookSchema,
    rest: onOne({
      method: 'get',
      input: { from: 'none' },
      success: { 200: 'The subscription' },
      summary: 'One webhook subscription with its delivery status',
      description: statusNote,
    }),
    run: getWebhook,
  }),
  operation({
    name: 'adminUpdateWebhook',
    access: 'admin',
    target: webhookIdSchema,
    input: updateWebhookSchema,
    output: webhookSchema,
    rest: onOne({
      method: 'patch',
      input: { from: 'raw-body', required: true },
      success: changed,
      summary: 'Change the URL, events, secret or active flag',
      description: 'A new secret signs the next delivery. `active: true` resumes a paused subscription; `active: false` pauses it.',
    }),
    run: updateWebhook,
  }),
  operation({
    name: 'adminDeleteWebhook',
    access: 'admin',
    target: webhookIdSchema,
    input: undefined,
    rest: onOne({ method: 'delete', input: { from: 'none' }, success: { 204: 'Deleted' }, summary: 'Delete a webhook subscription' }),
    run: deleteWebhook,
  }),
  operation({
    name: 'adminPauseWebhook',
    access: 'admin',
    target: webhookIdSchema,
    input: pauseWebhookSchema,
    output: webhookSchema,
    rest: onOne({
      method: 'post',
      below: '/pause',
      input: optionalBody,
      success: changed,
      summary: 'Pause deliveries',
      description: 'An optional `reason` is shown as `status.pausedReason`. Events keep being logged.',
    }),
    run: pauseWebhook,
  }),
  operation({
    name: 'adminResumeWebhook',
    access: 'admin',
    target: webhookIdSchema,
    input: pauseWebhookSchema.pick({}),
    output: webhookSchema,
    rest: onOne({
      method: 'post',
      below: '/resume',
      input: optionalBody,
      success: changed,
      summary: 'Resume deliveries',
      description: 'Delivery goes on from the cursor at once; the failure state is cleared.',
    }),
    run: resumeWebhook,
  }),
  operation({
    name: 'adminReplayWebhook',
    access: 'admin',
    target: webhookIdSchema,
    input: replayWebhookSchema,
    output: webhookSchema,
    rest: onOne({
      method: 'post',
      below: '/replay',
      input: { from: 'raw-body', required: true },
      success: changed,
      summary: 'Deliver again from a position',
      description:
        'Sets the cursor to `position`: the next batch holds the events after it (0: every event still kept). ' +
        'Events already delivered come again with the same ids. 400 beyond the newest position.',
    }),
    run: replayWebhook,
  }),
];
