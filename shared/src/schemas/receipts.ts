import { z } from 'zod';
import { idSchema } from './common.js';

export const deliveredSchema = z.strictObject({ chatId: idSchema, messageId: idSchema });
export type DeliveredRequest = z.infer<typeof deliveredSchema>;

/** Marks everything up to and including `upTo` as read. */
export const readSchema = z.strictObject({ chatId: idSchema, upTo: idSchema });
export type ReadRequest = z.infer<typeof readSchema>;
