import type { Message } from '../../../shared/src/schemas/messages.js';
import { AppError } from '../app-error.js';
import type { Membership } from '../chats/membership-guard.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import { ConflictError, NotFoundError } from '../storage/errors.js';
import type { MessageChangeInput, MessageRecord, Storage } from '../storage/storage.js';
import { messageView, toMessage, toMessageChange } from '../timeline/message-view.js';

/** A message of a chat, with the actor's membership in that chat. */
export interface MessageTarget extends Membership {
  message: MessageRecord;
}

/**
 * The chat, the actor's membership and the message, read at once. A user who is not a member
 * gets what a missing chat gets (`not_found`, "Chat not found"), whatever the message id; a
 * member naming a message of another chat (or none) gets `not_found` for the message.
 */
export async function requireMessageOfChat(storage: Storage, chatId: string, messageId: string, userId: string): Promise<MessageTarget> {
  const [chat, member, message] = await Promise.all([
    storage.chats.byId(chatId),
    storage.members.get(chatId, userId),
    storage.messages.byId(messageId),
  ]);
  if (!chat || !member) throw new AppError('not_found', 'Chat not found');
  if (!message || message.chatId !== chatId) throw messageNotFound();
  return { chat, member, message };
}

export function messageNotFound(): AppError {
  return new AppError('not_found', 'Message not found in this chat');
}

export function messageWasDeleted(): AppError {
  return new AppError('conflict', 'The message was deleted');
}

/**
 * Stores a change the use case has allowed, then (the answer being the message after it) tells
 * the chat's room with `message:changed`, unless the change changed nothing. The store's
 * refusals become the use cases' words: a deleted message is `conflict`, a vanished one `not_found`.
 */
export async function applyChange(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, chatId: string, change: MessageChangeInput): Promise<Message> {
  let applied;
  try {
    applied = await deps.storage.messages.change(chatId, change);
  } catch (error) {
    if (error instanceof ConflictError && error.field === 'deleted') throw messageWasDeleted();
    if (error instanceof NotFoundError) throw messageNotFound();
    throw error;
  }
  // A tombstone carries no reactions and no quote: nothing left to read.
  const view = applied.message.deletedAt !== null ? toMessage(applied.message) : await messageView(deps.storage, applied.message);
  if (applied.changeSeq !== null) {
    deps.live.toChat(chatId, 'message:changed', toMessageChange(chatId, applied.changeSeq, change.kind, view), notBackTo(actor));
  }
  return view;
}
