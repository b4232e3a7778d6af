import { deleteMessageSchema, editMessageSchema, reactSchema } from '../../../shared/src/schemas/message-changes.js';
import {
  historyPageSchema,
  historySchema,
  MAX_REACTIONS_PER_MESSAGE,
  messageEnvelopeSchema,
  sendMessageSchema,
} from '../../../shared/src/schemas/messages.js';
import { deleteMessage } from '../messages/delete-message.js';
import { editMessage } from '../messages/edit-message.js';
import { reactToMessage } from '../messages/react-to-message.js';
import { readHistory } from '../messages/read-history.js';
import { searchMessages } from '../messages/search-messages.js';
import { sendMessage } from '../messages/send-message.js';
import { searchMessagesSchema, searchResultSchema } from '../../../shared/src/schemas/search.js';
import { operation } from './operation.js';

/**
 * A retry is answered with the message stored earlier: one stored before the request arrived
 * cannot be its doing, so the answer is 200 rather than 201. The body is the same.
 */
function storedOrRetried(result: { message: { createdAt: string } }, arrivedAt: number): 200 | 201 {
  return Date.parse(result.message.createdAt) < arrivedAt ? 200 : 201;
}

/** What the three changes to a sent message share: members only, writes, the message after the change as the answer. */
const messageChange = { access: 'user', rule: 'member', limits: ['write'], output: messageEnvelopeSchema } as const;

/** A REST twin under one message, its path ids `{chatId: :id, messageId: :messageId}`; announced as `message:changed`. */
function messageRoute(method: 'patch' | 'delete' | 'put', below: string, body: boolean, success: string) {
  return {
    method,
    path: `/api/chats/:id/messages/:messageId${below}`,
    input: { from: 'body', path: { chatId: 'id', messageId: 'messageId' }, required: body },
    success: { 200: success },
    tag: 'chats',
  } as const;
}
const announced = "Members get `message:changed` with the chat's next change position.";

/**
 * History, sending, changes to sent messages (edit, delete, react) and search: `chat:history`,
 * `chat:message`, `message:edit`, `message:delete`, `message:react`, `message:search`, and their REST twins.
 */
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
      summary: 'A page of history, oldest first, ending before `before`, or around the message `around`',
      description:
        'Give `before` or `around`, not both. `around`: the message with up to `limit` before it and up to `limit` after it; ' +
        '`hasNewer` then says whether newer messages remain.',
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
  operation({
    ...messageChange,
    name: 'editMessage',
    input: editMessageSchema,
    event: 'message:edit',
    rest: {
      ...messageRoute('patch', '', true, 'The message after the edit (as it is, when the body was already this one)'),
      errors: [403, 404, 409],
      summary: 'Edit your own text message',
      description:
        'Only the sender, only text messages, only within MESSAGE_EDIT_WINDOW_S seconds of sending when that is set (403). ' +
        `A deleted message cannot be edited (409). The same body again changes nothing. ${announced}`,
    },
    run: editMessage,
  }),
  operation({
    ...messageChange,
    name: 'deleteMessage',
    input: deleteMessageSchema,
    event: 'message:delete',
    rest: {
      ...messageRoute('delete', '', false, 'The tombstone: body erased, `deletedAt` and `deletedBy` set (also when it was deleted already)'),
      errors: [403, 404],
      summary: 'Delete a message: your own, or any in a group you are an admin of',
      description:
        'The body is erased from the store and the reactions go; the id and seq stay. Notices cannot be deleted (403). ' +
        `Deleting a deleted message changes nothing. ${announced}`,
    },
    run: deleteMessage,
  }),
  operation({
    ...messageChange,
    name: 'reactToMessage',
    input: reactSchema,
    event: 'message:react',
    rest: {
      ...messageRoute('put', '/reactions', true, 'The message with its reactions after the change (as they are, when the reaction was already so)'),
      errors: [404, 409, 422],
      summary: 'Put your reaction with one emoji on a message (`on: true`) or take it off (`on: false`)',
      description:
        `Exactly one emoji. A deleted message takes no reactions (409); a message carries at most ${MAX_REACTIONS_PER_MESSAGE} different emoji (422). ` +
        `Idempotent. ${announced}`,
    },
    run: reactToMessage,
  }),
  operation({
    name: 'searchMessages',
    access: 'user',
    input: searchMessagesSchema,
    output: searchResultSchema,
    event: 'message:search',
    rest: {
      method: 'get',
      path: '/api/messages/search',
      input: { from: 'query', numeric: ['limit'] },
      success: { 200: 'Matching messages, newest first' },
      errors: [400, 404],
      tag: 'chats',
      summary: 'Search the messages of your chats',
      description:
        'Words (found inside words; case and accents ignored), "quoted phrases", and the filters from:@username, in:#group, ' +
        'before:YYYY-MM-DD, after:YYYY-MM-DD; every part must match. Only chats you are a member of now; notices and deleted ' +
        'messages never match. `chatId`: only that chat (404 unless you are a member). `before`: the `next` of the previous page ' +
        'of the same query (400 for a cursor of another query). Each hit has a snippet with the matched parts as ranges.',
    },
    run: searchMessages,
  }),
];
