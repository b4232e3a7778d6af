import { z } from 'zod';
import { chatSummarySchema } from './chats.js';
import { idSchema } from './common.js';
import { messageSchema } from './messages.js';
import { named } from './wire-registry.js';

/** chatId -> id of the last message the client has (null: it has none). */
export const syncSchema = z.strictObject({
  chats: z.record(idSchema, idSchema.nullable()).refine((r) => Object.keys(r).length <= 1000, 'at most 1000 chats'),
});
export type SyncRequest = z.infer<typeof syncSchema>;

export const syncResultSchema = named(
  'SyncResult',
  z.strictObject({
    /** Per chat: the messages after the client's last seen id, oldest first. */
    chats: z.record(z.string(), z.strictObject({ messages: z.array(messageSchema), hasMore: z.boolean() })),
    /** The user's chat list, so chats created while offline appear too. */
    summaries: z.array(chatSummarySchema),
  }),
);
export type SyncResult = z.output<typeof syncResultSchema>;
