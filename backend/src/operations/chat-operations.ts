import { chatListSchema, chatRefSchema, emptySchema, openDirectSchema, openedChatSchema } from '../../../shared/src/schemas/chats.js';
import { notifySettingSchema, setNotifySchema } from '../../../shared/src/schemas/mentions.js';
import { deleteChat } from '../chats/delete-chat.js';
import { getChat } from '../chats/get-chat.js';
import { listChats } from '../chats/list-chats.js';
import { openDirectChat } from '../chats/open-direct-chat.js';
import { setNotifyLevel } from '../chats/set-notify-level.js';
import { operation } from './operation.js';

/** The chat list, one chat, direct chats, deleting, notification levels: `chat:*` events and /api/chats. */
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
  operation({
    name: 'setNotifyLevel',
    access: 'user',
    rule: 'member',
    limits: ['write'],
    input: setNotifySchema,
    output: notifySettingSchema,
    event: 'chat:notify',
    rest: {
      method: 'put',
      path: '/api/chats/:id/notify',
      input: { from: 'body', path: { chatId: 'id' }, required: true },
      success: { 200: 'The level now in force' },
      errors: [404],
      tag: 'chats',
      summary: 'Choose what you hear of a chat: all messages, mentions only, or nothing (muted)',
      description:
        "Stored on the caller's membership and shown to no one else. The caller's other sessions get `chat:notify`. " +
        'Muted chats show no unread badge and no notification; with `mentions`, only unread mentions badge.',
    },
    run: setNotifyLevel,
  }),
];
