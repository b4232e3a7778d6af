import { chatRefSchema, createGroupSchema, joinGroupSchema, searchGroupsSchema, updateGroupSchema } from '../../../shared/src/schemas/chats.js';
import { onRequest, type HandlerContext } from './handle-request.js';

/** `group:create`, `group:join`, `group:search`, `group:update`, `group:leave`. */
export function registerGroupHandlers(context: HandlerContext): void {
  const { services } = context;
  onRequest(context, 'group:create', createGroupSchema, services.createGroup);
  onRequest(context, 'group:join', joinGroupSchema, services.joinGroup);
  onRequest(context, 'group:search', searchGroupsSchema, services.searchGroups);
  onRequest(context, 'group:update', updateGroupSchema, services.updateGroup);
  onRequest(context, 'group:leave', chatRefSchema, services.leaveGroup);
}
