import { emptySchema } from '../../../shared/src/schemas/chats.js';
import { typingSchema } from '../../../shared/src/schemas/presence.js';
import { onRequest, type HandlerContext } from './handle-request.js';

/** `users:list`, `chat:typing` (whose ack is optional). */
export function registerPresenceHandlers(context: HandlerContext): void {
  const { services } = context;
  onRequest(context, 'users:list', emptySchema, (actor) => services.listUsers(actor));
  onRequest(context, 'chat:typing', typingSchema, services.setTyping, { ackOptional: true });
}
