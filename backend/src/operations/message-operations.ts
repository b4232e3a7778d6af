import { historyPageSchema, historySchema, messageEnvelopeSchema, sendMessageSchema } from '../../../shared/src/schemas/messages.js';
import { readHistory } from '../messages/read-history.js';
import { sendMessage } from '../messages/send-message.js';
import { operation } from './operation.js';

/**
 * A retry is answered with the message stored earlier: one stored before the request arrived
 * cannot be its doing, so the answer is 200 rather than 201. The body is the same.
 */
function storedOrRetried(result: { message: { createdAt: string } }, arrivedAt: number): 200 | 201 {
  return Date.parse(result.message.createdAt) < arrivedAt ? 200 : 201;
}

/** History and sending: `chat:history`, `chat:message`, and their REST twins. */
export const messageOperations = [
  operation({
    name: 'readHistory',
    access: 'user',
    rule: 'member',
    input: historySchema,
    output: historyPageSchema,
    event: 'chat:history',
    rest: {
      method: 'get',
      path: '/api/chats/:id/messages',
      input: { from: 'query', path: { chatId: 'id' }, numeric: ['limit'] },
      success: { 200: 'The page' },
      errors: [400, 404],
      tag: 'chats',
      summary: 'A page of history, oldest first, ending before `before`',
    },
    run: readHistory,
  }),
  operation({
    name: 'sendMessage',
    access: 'user',
    rule: 'member',
    limits: ['write'],
    input: sendMessageSchema,
    output: messageEnvelopeSchema,
    event: 'chat:message',
    rest: {
      method: 'post',
      path: '/api/chats/:id/messages',
      input: { from: 'body', path: { chatId: 'id' }, required: true },
      success: { 201: 'Stored', 200: 'Already stored by an earlier request with this clientId' },
      status: storedOrRetried,
      errors: [404, 409],
      tag: 'chats',
      summary: 'Send a message',
      description: 'Idempotent per `clientId`: a retry answers 200 with the message stored the first time.',
    },
    run: sendMessage,
  }),
];
