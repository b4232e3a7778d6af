import { historySchema, sendMessageSchema } from '../../../shared/src/schemas/messages.js';
import { syncSchema } from '../../../shared/src/schemas/sync.js';
import { onRequest, type HandlerContext } from './handle-request.js';

/** `chat:message`, `chat:history`, `sync`. */
export function registerMessageHandlers(context: HandlerContext): void {
  const { services } = context;
  onRequest(context, 'chat:message', sendMessageSchema, services.sendMessage);
  onRequest(context, 'chat:history', historySchema, services.readHistory);
  onRequest(context, 'sync', syncSchema, services.syncMissed);
}
