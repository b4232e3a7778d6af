import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One mention of a user by a live message, in the `mentions` collection: what a member's unread
 * mention count is counted from, so the count reads this small collection through its
 * (userId, chatId, seq) index and never the chat's messages. The message document keeps the
 * same ids (`mentions`) for its views; these documents follow it (MongoMessageStore: written
 * after the message is stored, brought in line after every edit or delete, removed with an
 * erased message). `_id` is "<userId>:<messageId>", so writing one twice is harmless.
 */
export interface MentionDoc {
  _id: string;
  userId: string;
  chatId: string;
  seq: number;
  messageId: string;
}

const mentionSchema = new Schema<MentionDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    chatId: { type: String, required: true },
    seq: { type: Number, required: true },
    messageId: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

// A member's unread mentions in a chat: the range after their read position.
mentionSchema.index({ userId: 1, chatId: 1, seq: 1 }, { name: 'mentions_userId_chatId_seq' });
// A message's mentions, to bring them in line after an edit or delete, or erase them.
mentionSchema.index({ messageId: 1 }, { name: 'mentions_messageId' });

export function mentionModel(connection: Connection): Model<MentionDoc> {
  return connection.model<MentionDoc>('Mention', mentionSchema, 'mentions');
}

export function mentionIdOf(userId: string, messageId: string): string {
  return `${userId}:${messageId}`;
}

/** The mention documents of a message as it is now: none once deleted. */
export function mentionDocsOf(message: { id: string; chatId: string; seq: number; mentions: readonly string[]; deletedAt: string | null }): MentionDoc[] {
  if (message.deletedAt !== null) return [];
  return message.mentions.map((userId) => ({
    _id: mentionIdOf(userId, message.id),
    userId,
    chatId: message.chatId,
    seq: message.seq,
    messageId: message.id,
  }));
}
