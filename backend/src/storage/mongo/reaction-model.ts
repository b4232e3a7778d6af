import { Schema, type Connection, type Model } from 'mongoose';
import type { ReactionRecord } from '../storage.js';

/**
 * One user's emoji on a message, in the `reactions` collection: a document of its own, so that
 * reactions of different users never write the same document. `changeSeq` (of the change that
 * put it there) orders a message's reactions oldest first.
 */
export interface ReactionDoc {
  _id: string;
  messageId: string;
  userId: string;
  emoji: string;
  createdAt: string;
  changeSeq: number;
}

const reactionSchema = new Schema<ReactionDoc>(
  {
    _id: { type: String, required: true },
    messageId: { type: String, required: true },
    userId: { type: String, required: true },
    emoji: { type: String, required: true },
    createdAt: { type: String, required: true },
    changeSeq: { type: Number, required: true },
  },
  { versionKey: false, id: false },
);

reactionSchema.index({ messageId: 1, userId: 1, emoji: 1 }, { name: 'reactions_messageId_userId_emoji', unique: true });
// reactionsOf: a message's reactions, oldest first.
reactionSchema.index({ messageId: 1, changeSeq: 1 }, { name: 'reactions_messageId_changeSeq' });

export function reactionModel(connection: Connection): Model<ReactionDoc> {
  return connection.model<ReactionDoc>('Reaction', reactionSchema, 'reactions');
}

export function reactionToDoc(reaction: ReactionRecord, id: string, changeSeq: number): ReactionDoc {
  return { _id: id, messageId: reaction.messageId, userId: reaction.userId, emoji: reaction.emoji, createdAt: reaction.createdAt, changeSeq };
}

export function docToReaction(doc: ReactionDoc): ReactionRecord {
  return { messageId: doc.messageId, userId: doc.userId, emoji: doc.emoji, createdAt: doc.createdAt };
}
