import { deliveredSchema, readSchema } from '../../../shared/src/schemas/receipts.js';
import { markDelivered } from '../receipts/mark-delivered.js';
import { markRead } from '../receipts/mark-read.js';
import { operation } from './operation.js';

/**
 * Read and delivered positions: `chat:read`, `chat:delivered`. Not writes for the budget:
 * clients send one per message they receive, and they only move a position forward.
 */
export const receiptOperations = [
  operation({
    name: 'markRead',
    access: 'user',
    rule: 'member',
    input: readSchema,
    event: 'chat:read',
    rest: {
      method: 'post',
      path: '/api/chats/:id/read',
      input: { from: 'body', path: { chatId: 'id' }, required: true },
      success: { 204: 'Recorded' },
      errors: [404],
      tag: 'chats',
      summary: 'Mark messages up to and including `upTo` as read',
    },
    run: markRead,
  }),
  operation({
    name: 'markDelivered',
    access: 'user',
    rule: 'member',
    input: deliveredSchema,
    event: 'chat:delivered',
    rest: {
      method: 'post',
      path: '/api/chats/:id/delivered',
      input: { from: 'body', path: { chatId: 'id' }, required: true },
      success: { 204: 'Recorded' },
      errors: [404],
      tag: 'chats',
      summary: 'Confirm a message reached this client',
    },
    run: markDelivered,
  }),
];
