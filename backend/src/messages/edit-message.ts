import type { EditMessageRequest } from '../../../shared/src/schemas/message-changes.js';
import type { MessageEnvelope } from '../../../shared/src/schemas/messages.js';
import { AppError } from '../app-error.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { messageView } from '../timeline/message-view.js';
import { mentionsOf } from './message-mentions.js';
import { applyChange, messageWasDeleted, requireMessageOfChat } from './message-target.js';

type Deps = { storage: Storage; live: LiveUpdates; limits: { messageEditWindowS?: number } };

/**
 * The sender replaces the body of their own text message: persist, then acknowledge, then emit.
 *
 * Members only (`not_found` as for a missing chat otherwise; `not_found` for a message of another
 * chat). Someone else's message, or a notice, is `forbidden`; so is an edit after
 * MESSAGE_EDIT_WINDOW_S seconds, when that is set. A deleted message cannot be edited
 * (`conflict`, also when a delete wins a race with the edit). The body arrives trimmed and
 * 1..4000 characters long (the shared schema sees to it).
 *
 * An edit computes the message's `mentions` again from the new body and the chat's members now.
 * The same body again stores nothing and answers with the message as it is, so a retry after
 * success gets the same answer and the chat's change position moves once. A real edit takes the
 * chat's next change position; the chat's room (the sender's other tabs too) gets
 * `message:changed`.
 */
export async function editMessage(deps: Deps, actor: Actor, request: EditMessageRequest): Promise<MessageEnvelope> {
  const { storage } = deps;
  const { message } = await requireMessageOfChat(storage, request.chatId, request.messageId, actor.userId);
  if (message.kind !== 'text') throw new AppError('forbidden', 'Notices cannot be edited');
  if (message.senderId !== actor.userId) throw new AppError('forbidden', 'Only the sender can edit a message');
  if (message.deletedAt !== null) throw messageWasDeleted();
  if (message.body === request.body) return { message: await messageView(storage, message) };
  assertWithinEditWindow(message.createdAt, deps.limits.messageEditWindowS);

  const members = await storage.members.list(request.chatId);
  const mentions = mentionsOf(request.body, members, actor.userId);
  const change = { kind: 'edit', messageId: message.id, actorId: actor.userId, body: request.body, mentions } as const;
  return { message: await applyChange(deps, actor, request.chatId, change) };
}

/** @throws AppError forbidden once the edit window (seconds after sending; none when unset) has passed. */
function assertWithinEditWindow(createdAt: string, windowS: number | undefined): void {
  if (windowS === undefined) return;
  if (Date.now() - Date.parse(createdAt) > windowS * 1000) {
    throw new AppError('forbidden', `Messages can only be edited within ${windowS} s of sending`);
  }
}
