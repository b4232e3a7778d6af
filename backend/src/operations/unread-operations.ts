import { unreadCountsSchema, unreadStreamTokenSchema } from '../../../shared/src/schemas/unread.js';
import { readUnreadCounts } from '../unread/unread-counts.js';
import { issueUnreadStreamToken } from '../unread/unread-stream-tokens.js';
import { operation } from './operation.js';

/**
 * The user's unread totals for a host site's header badge. REST only. The stream of the same
 * counts (`GET /api/me/unread/stream`, server-sent events) is http/unread-stream-route.ts.
 */
export const unreadOperations = [
  operation({
    name: 'readUnreadCounts',
    access: 'user',
    input: undefined,
    output: unreadCountsSchema,
    rest: {
      method: 'get',
      path: '/api/me/unread',
      input: { from: 'none' },
      success: { 200: 'The totals over your chats' },
      tag: 'me',
      summary: 'Your unread message and mention counts, summed over your chats',
      description: 'Muted chats are not counted. The same numbers as the chat list, summed.',
    },
    run: readUnreadCounts,
  }),
  operation({
    name: 'issueUnreadStreamToken',
    access: 'user',
    limits: ['write'],
    input: undefined,
    output: unreadStreamTokenSchema,
    rest: {
      method: 'post',
      path: '/api/me/unread/tokens',
      input: { from: 'none' },
      success: { 200: 'A token for `GET /api/me/unread/stream?token=…`' },
      tag: 'me',
      summary: 'A short-lived token for the unread stream',
      description:
        'EventSource cannot send an Authorization header: put this token in the stream URL instead. It is good for opening ' +
        'the stream only, for UNREAD_STREAM_TOKEN_TTL_S seconds (default 60). Takes from the write budget.',
    },
    run: issueUnreadStreamToken,
  }),
];
