import { z } from 'zod';
import { idSchema } from './common.js';
import { named } from './wire-registry.js';

export const deliveredSchema = z.strictObject({ chatId: idSchema, messageId: idSchema });
export type DeliveredRequest = z.infer<typeof deliveredSchema>;

/** Marks everything up to and including `upTo` as read. */
export const readSchema = z.strictObject({ chatId: idSchema, upTo: idSchema });
export type ReadRequest = z.infer<typeof readSchema>;

export const RECEIPT_STATUSES = ['delivered', 'read'] as const;
export const receiptStatusSchema = z.enum(RECEIPT_STATUSES);
export type ReceiptStatus = z.output<typeof receiptStatusSchema>;

/**
 * `chat:receipt`: a member's client received (`delivered`) or read messages up to `seq`.
 * `readAt`: for `read`, when the member's read position moved there (their `ChatMember.readAt`); null for `delivered`.
 */
export const receiptSchema = named(
  'Receipt',
  z.strictObject({
    chatId: z.string(),
    messageId: z.string(),
    seq: z.number().int(),
    userId: z.string(),
    status: receiptStatusSchema,
    readAt: z.string().nullable(),
  }),
);
export type Receipt = z.output<typeof receiptSchema>;
