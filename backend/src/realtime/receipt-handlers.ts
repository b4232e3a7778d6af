import { deliveredSchema, readSchema } from '../../../shared/src/schemas/receipts.js';
import { onRequest, type HandlerContext } from './handle-request.js';

/** `chat:delivered`, `chat:read`. */
export function registerReceiptHandlers(context: HandlerContext): void {
  const { services } = context;
  onRequest(context, 'chat:delivered', deliveredSchema, services.markDelivered);
  onRequest(context, 'chat:read', readSchema, services.markRead);
}
