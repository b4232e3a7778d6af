import { z } from 'zod';
import { named } from './wire-registry.js';

/** The user's unread totals over their chats, for a badge in the host site's header. */
export const unreadCountsSchema = named(
  'UnreadCounts',
  z.strictObject({
    /** Messages others sent after the user's read position, over every chat that is not muted. */
    unread: z.number(),
    /** Of those, the ones that mention the user. */
    mentions: z.number(),
  }),
);
export type UnreadCounts = z.infer<typeof unreadCountsSchema>;

/** A short-lived token for the unread stream (EventSource cannot send an Authorization header). */
export const unreadStreamTokenSchema = named(
  'UnreadStreamToken',
  z.strictObject({ token: z.string(), expiresInS: z.number() }),
);
export type UnreadStreamToken = z.infer<typeof unreadStreamTokenSchema>;
