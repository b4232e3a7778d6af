import type { DeleteMessageRequest } from '../../../shared/src/schemas/message-changes.js';
import type { DeletedBy, MessageEnvelope } from '../../../shared/src/schemas/messages.js';
import { AppError } from '../app-error.js';
import { removeAttachments } from '../attachments/blob-cleanup.js';
import type { FileServices } from '../attachments/file-services.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { toMessage } from '../timeline/message-view.js';
import { applyChange, requireMessageOfChat, type MessageTarget } from './message-target.js';

/**
 * Deletes a message, leaving a tombstone: the body is erased from the store (not hidden), the
 * reactions go, the id and seq stay, with `deletedAt` and `deletedBy`. Persist, then acknowledge,
 * then emit.
 *
 * The sender may delete their own text message (`deletedBy: 'sender'`); an admin of a group may
 * delete anyone's (`deletedBy: 'admin'`), a message whose sender's account is gone included.
 * Notices are the group's record of who joined, left, was added, or made it public: nobody
 * deletes them, admins included (`forbidden`). Anyone else: `forbidden`; non-members:
 * `not_found`, as for a missing chat.
 *
 * Deleting a deleted message stores nothing and answers with the tombstone, so a retry after
 * success gets the same answer and the chat's change position moves once. A delete always wins
 * over an edit racing it. The message's attachments go with it: their records, and the blobs no
 * other attachment refers to (after the tombstone is stored, so a failure there never keeps a
 * message alive). The chat's room (the caller's other tabs too) gets `message:changed`.
 */
export async function deleteMessage(deps: { storage: Storage; live: LiveUpdates; files: FileServices }, actor: Actor, request: DeleteMessageRequest): Promise<MessageEnvelope> {
  const target = await requireMessageOfChat(deps.storage, request.chatId, request.messageId, actor.userId);
  const by = deletedBy(target, actor);
  if (target.message.deletedAt !== null) return { message: toMessage(target.message) };

  const change = { kind: 'delete', messageId: target.message.id, actorId: actor.userId, by } as const;
  const message = await applyChange(deps, actor, request.chatId, change);
  await removeAttachments(deps, await deps.storage.attachments.ofMessages([target.message.id]));
  return { message };
}

/** Who the actor deletes as. @throws AppError forbidden when they may not delete this message. */
function deletedBy({ chat, member, message }: MessageTarget, actor: Actor): DeletedBy {
  if (message.kind !== 'text') throw new AppError('forbidden', 'Notices cannot be deleted');
  if (message.senderId === actor.userId) return 'sender';
  if (chat.kind === 'group' && member.role === 'admin') return 'admin';
  throw new AppError('forbidden', 'Only the sender or a group admin can delete a message');
}
