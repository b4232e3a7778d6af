import { syncResultSchema, syncSchema } from '../../../shared/src/schemas/sync.js';
import { syncMissed } from '../messages/sync-missed.js';
import { operation } from './operation.js';

/** Catching up after (re)connecting: `sync` and POST /api/sync. */
export const syncOperations = [
  operation({
    name: 'syncMissed',
    access: 'user',
    input: syncSchema,
    output: syncResultSchema,
    event: 'sync',
    rest: {
      method: 'post',
      path: '/api/sync',
      input: { from: 'body', required: true },
      success: { 200: 'The missed messages' },
      tag: 'chats',
      summary: 'What the client missed: messages after the last one it has, per chat, and the chat list',
    },
    run: syncMissed,
  }),
];
