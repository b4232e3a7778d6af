import { Schema, type Connection, type Model } from 'mongoose';
import type { ChatKind } from '../../../../shared/src/domain.js';
import type { ChatRecord } from '../storage.js';

/**
 * A chat as stored in the `chats` collection. The chat document is also the chat's message
 * sequence: appending a message increments `lastSeq` with one atomic findOneAndUpdate.
 * `directKey` is left out of the document for groups (see the index note below).
 */
export interface ChatDoc {
  _id: string;
  kind: ChatKind;
  name: string | null;
  /** The lower-cased name: what group search compares. */
  nameLower: string | null;
  passwordHash: string | null;
  directKey?: string;
  lastSeq: number;
  createdAt: string;
  lastActivityAt: string;
}

const chatSchema = new Schema<ChatDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['direct', 'group'] },
    name: { type: String, default: null },
    nameLower: { type: String, default: null },
    passwordHash: { type: String, default: null },
    directKey: { type: String },
    lastSeq: { type: Number, required: true, default: 0 },
    createdAt: { type: String, required: true },
    lastActivityAt: { type: String, required: true },
  },
  { versionKey: false, id: false },
);

// One direct chat per pair of users. Sparse rather than partial (FerretDB 1.x rejects
// partialFilterExpression); groups carry no directKey field, so they stay out of the index.
chatSchema.index({ directKey: 1 }, { name: 'chats_directKey', unique: true, sparse: true });
// Chat lists and group search read newest activity first.
chatSchema.index({ lastActivityAt: -1, _id: -1 }, { name: 'chats_lastActivityAt' });

export function chatModel(connection: Connection): Model<ChatDoc> {
  return connection.model<ChatDoc>('Chat', chatSchema, 'chats');
}

export function chatToDoc(chat: ChatRecord): ChatDoc {
  return {
    _id: chat.id,
    kind: chat.kind,
    name: chat.name,
    nameLower: chat.name === null ? null : chat.name.toLowerCase(),
    passwordHash: chat.passwordHash,
    ...(chat.directKey !== null && { directKey: chat.directKey }),
    lastSeq: chat.lastSeq,
    createdAt: chat.createdAt,
    lastActivityAt: chat.lastActivityAt,
  };
}

export function docToChat(doc: ChatDoc): ChatRecord {
  return {
    id: doc._id,
    kind: doc.kind,
    name: doc.name ?? null,
    passwordHash: doc.passwordHash ?? null,
    directKey: doc.directKey ?? null,
    lastSeq: doc.lastSeq,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
  };
}
