import { z } from 'zod';
import { clientIdSchema, idSchema, MAX_MESSAGE_LENGTH, pageLimitSchema } from './common.js';

export const messageBodySchema = z
  .string()
  .max(MAX_MESSAGE_LENGTH * 4, `must be at most ${MAX_MESSAGE_LENGTH} characters`)
  .transform((body) => body.trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_MESSAGE_LENGTH, `must be at most ${MAX_MESSAGE_LENGTH} characters`),
  );

export const sendMessageSchema = z.strictObject({
  chatId: idSchema,
  clientId: clientIdSchema,
  body: messageBodySchema,
});
export type SendMessageRequest = z.infer<typeof sendMessageSchema>;

export const historySchema = z.strictObject({
  chatId: idSchema,
  /** Id of the oldest message the client has; the page ends just before it. */
  before: idSchema.optional(),
  limit: pageLimitSchema.optional(),
});
export type HistoryRequest = z.infer<typeof historySchema>;

/** chatId -> id of the last message the client has (null: it has none). */
export const syncSchema = z.strictObject({
  chats: z.record(idSchema, idSchema.nullable()).refine((r) => Object.keys(r).length <= 1000, 'at most 1000 chats'),
});
export type SyncRequest = z.infer<typeof syncSchema>;
