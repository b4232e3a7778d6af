import { registerBlockHandlers } from './block-handlers.js';
import { registerChatHandlers } from './chat-handlers.js';
import { registerGroupHandlers } from './group-handlers.js';
import type { HandlerContext } from './handle-request.js';
import { registerMessageHandlers } from './message-handlers.js';
import { registerPresenceHandlers } from './presence-handlers.js';
import { registerReceiptHandlers } from './receipt-handlers.js';

/** Every feature's handlers, attached to a socket once it has authenticated (never before). */
export function registerHandlers(context: HandlerContext): void {
  registerChatHandlers(context);
  registerGroupHandlers(context);
  registerMessageHandlers(context);
  registerReceiptHandlers(context);
  registerPresenceHandlers(context);
  registerBlockHandlers(context);
}
