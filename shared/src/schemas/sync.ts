import { z } from 'zod';
import { chatSummarySchema } from './chats.js';
import { idSchema } from './common.js';
import { messageChangeSchema } from './message-changes.js';
import { messageSchema } from './messages.js';
import { named } from './wire-registry.js';

const atMost1000Chats = (record: Record<string, unknown>) => Object.keys(record).length <= 1000;

export const syncSchema = z.strictObject({
  /** chatId -> id of the last message the client has (null: it has none). */
  chats: z.record(idSchema, idSchema.nullable()).refine(atMost1000Chats, 'at most 1000 chats'),
  /**
   * chatId -> the last change position (changeSeq) the client has applied in that chat. The
   * answer then carries the changes after it to messages the client already holds. A chat left
   * out gets no changes, and its `changeSeq` in the answer is where to start from.
   */
  changes: z.record(idSchema, z.int().min(0)).refine(atMost1000Chats, 'at most 1000 chats').optional(),
});
export type SyncRequest = z.infer<typeof syncSchema>;

export const syncResultSchema = named(
  'SyncResult',
  z.strictObject({
    /**
     * Per chat: the messages after the client's last seen id, oldest first; then the changes
     * (edits, deletes, reactions) after the client's change position to older messages, in
     * change order, each message once in its newest state. `changeSeq`: the change position
     * the client has reached once it applied this answer; `hasMoreChanges`: sync again from it.
     */
    chats: z.record(
      z.string(),
      z.strictObject({
        messages: z.array(messageSchema),
        hasMore: z.boolean(),
        changes: z.array(messageChangeSchema),
        changeSeq: z.number().int(),
        hasMoreChanges: z.boolean(),
      }),
    ),
    /** The user's chat list, so chats created while offline appear too. */
    summaries: z.array(chatSummarySchema),
  }),
);
export type SyncResult = z.output<typeof syncResultSchema>;
