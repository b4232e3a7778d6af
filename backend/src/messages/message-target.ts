import { AppError } from '../app-error.js';
import type { Membership } from '../chats/membership-guard.js';
import { ConflictError, NotFoundError } from '../storage/errors.js';
import type { MessageRecord, Storage } from '../storage/storage.js';

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

/** The store's refusals of a change, in the words of the use cases. */
export function changeRefusal(error: unknown): unknown {
  if (error instanceof ConflictError && error.field === 'deleted') return messageWasDeleted();
  if (error instanceof NotFoundError) return messageNotFound();
  return error;
}
