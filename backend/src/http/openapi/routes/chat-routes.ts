import { z } from 'zod';
import {
  chatEnvelopeSchema,
  chatListSchema,
  createGroupSchema,
  joinGroupSchema,
  openDirectSchema,
  openedChatSchema,
  roomSearchResultSchema,
  updateGroupSchema,
} from '../../../../../shared/src/schemas/chats.js';
import { idSchema } from '../../../../../shared/src/schemas/common.js';
import { errorResponseSchema } from '../../../../../shared/src/schemas/errors.js';
import {
  historyPageSchema,
  historySchema,
  messageEnvelopeSchema,
  sendMessageSchema,
} from '../../../../../shared/src/schemas/messages.js';
import { deliveredSchema, readSchema } from '../../../../../shared/src/schemas/receipts.js';
import { syncResultSchema, syncSchema } from '../../../../../shared/src/schemas/sync.js';
import { blockListSchema } from '../../../../../shared/src/schemas/users.js';
import { errorResponses, USER_AUTH, type RouteSpec } from '../route-spec.js';
import { userIdPathSchema } from './account-routes.js';

const chatIdPath = z.strictObject({ id: idSchema });
const noBody = z.strictObject({});
const withoutChatId = { chatId: true } as const;
const errors = (...statuses: number[]) => errorResponses(errorResponseSchema, 401, ...statuses);

/**
 * /api/chats, /api/groups, /api/sync and blocking under /api/users: the REST twins of the
 * socket events, with the same schemas (ids named in the path are not repeated in the body).
 */
export const chatRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/chats',
    operationId: 'listChats',
    tag: 'chats',
    summary: "The user's chats, most recent activity first",
    security: USER_AUTH,
    query: z.strictObject({}),
    responses: { 200: { description: 'The chat list', schema: chatListSchema }, ...errors(400) },
  },
  {
    method: 'post',
    path: '/api/chats/direct',
    operationId: 'openDirectChat',
    tag: 'chats',
    summary: 'Open (creating if needed) the direct chat with a user',
    security: USER_AUTH,
    body: { schema: openDirectSchema, required: true },
    responses: { 200: { description: 'The chat and its newest messages', schema: openedChatSchema }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/api/chats/{id}',
    operationId: 'getChat',
    tag: 'chats',
    summary: 'One chat the user belongs to, with its newest messages',
    security: USER_AUTH,
    pathParams: chatIdPath,
    responses: { 200: { description: 'The chat', schema: openedChatSchema }, ...errors(400, 404) },
  },
  {
    method: 'delete',
    path: '/api/chats/{id}',
    operationId: 'deleteChat',
    tag: 'chats',
    summary: "Remove a chat from the user's list",
    security: USER_AUTH,
    pathParams: chatIdPath,
    body: { schema: noBody, required: false },
    responses: { 204: { description: 'Removed' }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/api/chats/{id}/messages',
    operationId: 'readHistory',
    tag: 'chats',
    summary: 'A page of history, oldest first, ending before `before`',
    security: USER_AUTH,
    pathParams: chatIdPath,
    query: historySchema.omit(withoutChatId),
    responses: { 200: { description: 'The page', schema: historyPageSchema }, ...errors(400, 404) },
  },
  {
    method: 'post',
    path: '/api/chats/{id}/messages',
    operationId: 'sendMessage',
    tag: 'chats',
    summary: 'Send a message',
    description: 'Idempotent per `clientId`: a retry answers 200 with the message stored the first time.',
    security: USER_AUTH,
    pathParams: chatIdPath,
    body: { schema: sendMessageSchema.omit(withoutChatId), required: true },
    responses: {
      201: { description: 'Stored', schema: messageEnvelopeSchema },
      200: { description: 'Already stored by an earlier request with this clientId', schema: messageEnvelopeSchema },
      ...errors(404, 409),
    },
  },
  {
    method: 'post',
    path: '/api/chats/{id}/read',
    operationId: 'markRead',
    tag: 'chats',
    summary: 'Mark messages up to and including `upTo` as read',
    security: USER_AUTH,
    pathParams: chatIdPath,
    body: { schema: readSchema.omit(withoutChatId), required: true },
    responses: { 204: { description: 'Recorded' }, ...errors(404) },
  },
  {
    method: 'post',
    path: '/api/chats/{id}/delivered',
    operationId: 'markDelivered',
    tag: 'chats',
    summary: 'Confirm a message reached this client',
    security: USER_AUTH,
    pathParams: chatIdPath,
    body: { schema: deliveredSchema.omit(withoutChatId), required: true },
    responses: { 204: { description: 'Recorded' }, ...errors(404) },
  },
  {
    method: 'post',
    path: '/api/groups',
    operationId: 'createGroup',
    tag: 'groups',
    summary: 'Create a private group, or a public room (optionally with a password)',
    description:
      'visibility "private" (the default): only the people in memberIds and those an admin adds later can see it; search never lists it ' +
      'and nobody else can join it. visibility "public": a room that search lists and anyone signed in can join (with its password, ' +
      'when it has one) and then read its whole history. A password is refused (400, fields.password) unless visibility is "public".',
    security: USER_AUTH,
    body: { schema: createGroupSchema, required: true },
    responses: { 201: { description: 'The new group', schema: chatEnvelopeSchema }, ...errors(404, 422) },
  },
  {
    method: 'get',
    path: '/api/groups',
    operationId: 'searchGroups',
    tag: 'groups',
    summary: 'Search public rooms by name (no query: all); private groups are never listed',
    security: USER_AUTH,
    query: z.strictObject({ query: z.string().max(80).optional() }),
    responses: { 200: { description: 'Matching groups', schema: roomSearchResultSchema }, ...errors(400) },
  },
  {
    method: 'patch',
    path: '/api/groups/{id}',
    operationId: 'updateGroup',
    tag: 'groups',
    summary: 'Rename, switch visibility, set or remove the password, add, remove, promote or demote members (group admins)',
    description:
      'visibility switches the group between private and public; each switch is announced in the timeline (made_public / made_private). ' +
      'Only a public group can have a password: setting one on a private group, or making a group with a password private without ' +
      'password: null in the same request, is refused (400).',
    security: USER_AUTH,
    pathParams: chatIdPath,
    body: { schema: updateGroupSchema.omit(withoutChatId), required: true },
    responses: { 200: { description: 'The group after the change', schema: chatEnvelopeSchema }, ...errors(404, 409, 422) },
  },
  {
    method: 'post',
    path: '/api/groups/{id}/join',
    operationId: 'joinGroup',
    tag: 'groups',
    summary: 'Join a public room (with its password when it has one)',
    description:
      'A private group cannot be joined: an outsider gets exactly the 404 of a chat that does not exist, whatever password is sent. ' +
      'Members are added to a private group by its admins (PATCH /api/groups/{id}, addMemberIds).',
    security: USER_AUTH,
    pathParams: chatIdPath,
    body: { schema: joinGroupSchema.omit(withoutChatId), required: false },
    responses: { 200: { description: 'The group and its newest messages', schema: openedChatSchema }, ...errors(404, 409, 422, 429) },
  },
  {
    method: 'post',
    path: '/api/groups/{id}/leave',
    operationId: 'leaveGroup',
    tag: 'groups',
    summary: 'Leave a group',
    security: USER_AUTH,
    pathParams: chatIdPath,
    body: { schema: noBody, required: false },
    responses: { 204: { description: 'Left' }, ...errors(404, 409) },
  },
  {
    method: 'post',
    path: '/api/sync',
    operationId: 'syncMissed',
    tag: 'chats',
    summary: 'What the client missed: messages after the last one it has, per chat, and the chat list',
    security: USER_AUTH,
    body: { schema: syncSchema, required: true },
    responses: { 200: { description: 'The missed messages', schema: syncResultSchema }, ...errors() },
  },
  {
    method: 'get',
    path: '/api/users/me/blocks',
    operationId: 'listBlocks',
    tag: 'users',
    summary: 'The ids of users the signed-in user blocks',
    security: USER_AUTH,
    query: z.strictObject({}),
    responses: { 200: { description: 'Blocked users', schema: blockListSchema }, ...errors(400) },
  },
  {
    method: 'post',
    path: '/api/users/{id}/block',
    operationId: 'blockUser',
    tag: 'users',
    summary: 'Block a user: neither can message the other directly',
    security: USER_AUTH,
    pathParams: userIdPathSchema,
    body: { schema: noBody, required: false },
    responses: { 204: { description: 'Blocked (also when already blocked)' }, ...errors(404) },
  },
  {
    method: 'delete',
    path: '/api/users/{id}/block',
    operationId: 'unblockUser',
    tag: 'users',
    summary: 'Unblock a user',
    security: USER_AUTH,
    pathParams: userIdPathSchema,
    body: { schema: noBody, required: false },
    responses: { 204: { description: 'Unblocked (also when not blocked)' }, ...errors(404) },
  },
];
