import { chatListSchema, chatRefSchema, emptySchema, openDirectSchema, openedChatSchema } from '../../../shared/src/schemas/chats.js';
import { deleteChat } from '../chats/delete-chat.js';
import { getChat } from '../chats/get-chat.js';
import { listChats } from '../chats/list-chats.js';
import { openDirectChat } from '../chats/open-direct-chat.js';
import { operation } from './operation.js';

/** The chat list, one chat, direct chats, deleting: `chat:*` events and /api/chats. */
export const chatOperations = [
  operation({
    name: 'listChats',
    access: 'user',
    input: emptySchema,
    output: chatListSchema,
    event: 'chat:list',
    rest: {
      method: 'get',
      path: '/api/chats',
      input: { from: 'query' },
      success: { 200: 'The chat list' },
      errors: [400],
      tag: 'chats',
      summary: "The user's chats, most recent activity first",
    },
    run: listChats,
  }),
  operation({
    name: 'openDirectChat',
    access: 'user',
    limits: ['write'],
    input: openDirectSchema,
    output: openedChatSchema,
    event: 'chat:open',
    rest: {
      method: 'post',
      path: '/api/chats/direct',
      input: { from: 'body', required: true },
      success: { 200: 'The chat and its newest messages' },
      errors: [404],
      tag: 'chats',
      summary: 'Open (creating if needed) the direct chat with a user',
    },
    run: openDirectChat,
  }),
  operation({
    name: 'getChat',
    access: 'user',
    rule: 'member',
    input: chatRefSchema,
    output: openedChatSchema,
    event: 'chat:get',
    rest: {
      method: 'get',
      path: '/api/chats/:id',
      input: { from: 'query', path: { chatId: 'id' } },
      success: { 200: 'The chat' },
      errors: [400, 404],
      tag: 'chats',
      summary: 'One chat the user belongs to, with its newest messages',
    },
    run: getChat,
  }),
  operation({
    name: 'deleteChat',
    access: 'user',
    rule: 'member',
    limits: ['write'],
    input: chatRefSchema,
    event: 'chat:delete',
    rest: {
      method: 'delete',
      path: '/api/chats/:id',
      input: { from: 'body', path: { chatId: 'id' }, required: false },
      success: { 204: 'Removed' },
      errors: [404],
      tag: 'chats',
      summary: "Remove a chat from the user's list",
    },
    run: deleteChat,
  }),
];
