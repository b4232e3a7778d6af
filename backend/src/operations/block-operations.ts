import { emptySchema } from '../../../shared/src/schemas/chats.js';
import { userRefSchema } from '../../../shared/src/schemas/presence.js';
import { blockListSchema } from '../../../shared/src/schemas/users.js';
import { blockUser } from '../blocks/block-user.js';
import { listBlocks } from '../blocks/list-blocks.js';
import { unblockUser } from '../blocks/unblock-user.js';
import { operation } from './operation.js';

/** Blocking: `user:block`, `user:unblock`, `user:blocks`, and their routes under /api/users. */
export const blockOperations = [
  operation({
    name: 'listBlocks',
    access: 'user',
    input: emptySchema,
    output: blockListSchema,
    event: 'user:blocks',
    rest: {
      method: 'get',
      path: '/api/users/me/blocks',
      input: { from: 'query' },
      success: { 200: 'Blocked users' },
      errors: [400],
      tag: 'users',
      summary: 'The ids of users the signed-in user blocks',
    },
    run: listBlocks,
  }),
  operation({
    name: 'blockUser',
    access: 'user',
    limits: ['write'],
    input: userRefSchema,
    event: 'user:block',
    rest: {
      method: 'post',
      path: '/api/users/:id/block',
      input: { from: 'body', path: { userId: 'id' }, required: false },
      success: { 204: 'Blocked (also when already blocked)' },
      errors: [404],
      tag: 'users',
      summary: 'Block a user: neither can message the other directly',
    },
    run: blockUser,
  }),
  operation({
    name: 'unblockUser',
    access: 'user',
    limits: ['write'],
    input: userRefSchema,
    event: 'user:unblock',
    rest: {
      method: 'delete',
      path: '/api/users/:id/block',
      input: { from: 'body', path: { userId: 'id' }, required: false },
      success: { 204: 'Unblocked (also when not blocked)' },
      errors: [404],
      tag: 'users',
      summary: 'Unblock a user',
    },
    run: unblockUser,
  }),
];
