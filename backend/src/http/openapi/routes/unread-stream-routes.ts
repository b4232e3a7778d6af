import { z } from 'zod';
import { errorResponseSchema } from '../../../../../shared/src/schemas/errors.js';
import { errorResponses, USER_AUTH, type RouteSpec } from '../route-spec.js';

/** The unread counts as server-sent events: not a JSON operation, so described here rather than by the table. */
export const unreadStreamRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/me/unread/stream',
    operationId: 'streamUnreadCounts',
    tag: 'me',
    summary: 'Your unread counts as server-sent events',
    description:
      '`event: unread` with `{"unread":n,"mentions":m}` at once and whenever the counts change; a `: heartbeat` comment every 25 s. ' +
      'Authenticate with `Authorization: Bearer <access token>`, or (EventSource cannot send headers) with `?token=` from ' +
      '`POST /api/me/unread/tokens`. At most MAX_SOCKETS_PER_USER streams per user and process (429).',
    security: USER_AUTH,
    query: z.strictObject({ token: z.string().optional() }),
    responses: {
      200: { description: 'The stream (text/event-stream)', contentType: 'text/event-stream' },
      ...errorResponses(errorResponseSchema, 401, 429),
    },
  },
];
