/**
 * What a change to a message does, decided the same way by both adapters (MessageStore.change
 * in storage.ts): whether it changes anything, the message after it, and the change log's row.
 */
import { ConflictError } from '../errors.js';
import type { ChangeRecord, MessageChangeInput, MessageRecord, ReactionRecord } from '../storage.js';

/**
 * Whether the change would change the message as it is now. `reacted`: the actor already has
 * this emoji on the message (read only for a reaction).
 * @throws ConflictError('deleted') for an edit or a reaction of a deleted message
 */
export function changesSomething(message: MessageRecord, change: MessageChangeInput, reacted: boolean): boolean {
  const deleted = message.deletedAt !== null;
  switch (change.kind) {
    case 'edit':
      if (deleted) throw new ConflictError('deleted', 'the message is deleted');
      return change.body !== message.body || !sameIds(change.mentions ?? [], message.mentions);
    case 'delete':
      return !deleted;
    case 'react':
      if (deleted) throw new ConflictError('deleted', 'the message is deleted');
      return change.on !== reacted;
  }
}

/** The message once the change took position `changeSeq` at `at`. A delete erases the body. */
export function changedMessage(message: MessageRecord, change: MessageChangeInput, changeSeq: number, at: string): MessageRecord {
  const changed = { ...message, changeSeq: Math.max(message.changeSeq, changeSeq) };
  switch (change.kind) {
    case 'edit':
      return { ...changed, body: change.body, editedAt: at, mentions: [...new Set(change.mentions ?? [])] };
    case 'delete':
      return { ...changed, body: '', deletedAt: at, deletedBy: change.by, mentions: [] };
    case 'react':
      return changed;
  }
}

/** The change log's row for the change: its position and who made it, never a body. */
export function newChangeRecord(chatId: string, changeSeq: number, change: MessageChangeInput, at: string): ChangeRecord {
  return { chatId, changeSeq, messageId: change.messageId, kind: change.kind, actorId: change.actorId, at };
}

/** The reaction a `react` change with `on: true` puts on the message. */
export function newReactionRecord(change: Extract<MessageChangeInput, { kind: 'react' }>, at: string): ReactionRecord {
  return { messageId: change.messageId, userId: change.actorId, emoji: change.emoji, createdAt: at };
}

/** Whether two lists hold the same ids, in any order. */
function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}
