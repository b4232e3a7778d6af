import { emptySchema } from '../../../shared/src/schemas/chats.js';
import { userRefSchema } from '../../../shared/src/schemas/presence.js';
import { onRequest, type HandlerContext } from './handle-request.js';

/** `user:block`, `user:unblock`, `user:blocks`. */
export function registerBlockHandlers(context: HandlerContext): void {
  const { services } = context;
  onRequest(context, 'user:block', userRefSchema, services.blockUser);
  onRequest(context, 'user:unblock', userRefSchema, services.unblockUser);
  onRequest(context, 'user:blocks', emptySchema, (actor) => services.listBlocks(actor));
}
