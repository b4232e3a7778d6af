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
 * refusals become the use cases' words: a deleted message is `conflict`, a vanished one
 * `not_found`. A store may take a position for an edit or reaction and then settle the message
 * as the tombstone of a delete that raced it (MongoDB does): the room, the caller's socket
 * included, still hears of that position, as a delete, and the caller gets `conflict`.
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
  const deleted = applied.message.deletedAt !== null;
  // An edit or reaction that a racing delete overtook did not take effect: the caller gets an
  // error, not the message, so its own socket hears of the position too.
  const overtaken = deleted && change.kind !== 'delete';
  // A tombstone carries no reactions and no quote: nothing left to read.
  const view = deleted ? toMessage(applied.message) : await messageView(deps.storage, applied.message);
  if (applied.changeSeq !== null) {
    // A tombstone is reported as a delete, whichever change took the position.
    const event = toMessageChange(chatId, applied.changeSeq, deleted ? 'delete' : change.kind, view);
    deps.live.toChat(chatId, 'message:changed', event, overtaken ? {} : notBackTo(actor));
  }
  if (overtaken) throw messageWasDeleted();
  return view;
}
