import { chatRefSchema, emptySchema, openDirectSchema } from '../../../shared/src/schemas/chats.js';
import { onRequest, type HandlerContext } from './handle-request.js';

/** `chat:list`, `chat:open`, `chat:get`, `chat:delete`. */
export function registerChatHandlers(context: HandlerContext): void {
  const { services } = context;
  onRequest(context, 'chat:list', emptySchema, (actor) => services.listChats(actor));
  onRequest(context, 'chat:open', openDirectSchema, services.openDirectChat);
  onRequest(context, 'chat:get', chatRefSchema, services.getChat);
  onRequest(context, 'chat:delete', chatRefSchema, services.deleteChat);
}
