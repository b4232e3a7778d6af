import { Schema, type Connection, type Model } from 'mongoose';
import { DELETED_BY, MESSAGE_KINDS, type DeletedBy, type MessageKind, type Notice } from '../../../../shared/src/schemas/messages.js';
import type { MessageRecord } from '../storage.js';

/**
 * A message as stored in the `messages` collection.
 *
 * `senderClientKey` is "<senderId>:<clientId>", present only when the message has both. It
 * carries the "one message per (sender, clientId)" rule. MongoDB would express that as a
 * unique (senderId, clientId) index with a partialFilterExpression on clientId being a string,
 * but FerretDB 1.x rejects partial indexes, and a sparse compound index is no substitute (MongoDB
 * still indexes a document that has only one of the fields, so two messages of one sender
 * without clientId would collide). One derived field under a sparse unique index behaves the
 * same on both servers.
 *
 * The change fields (editedAt, deletedAt, deletedBy, replyToId, changeSeq) are missing in
 * documents stored before messages could change, and read as null / 0. `editSeq` is the
 * changeSeq of the edit whose body the document holds (missing: none), so that an older edit
 * never overwrites a newer one (see MongoMessageStore.change). `mentions` (the ids the body
 * mentions) is left out when there are none, as in every document stored before mentions.
 */
export interface MessageDoc {
  _id: string;
  chatId: string;
  seq: number;
  kind: MessageKind;
  senderId: string | null;
  clientId: string | null;
  senderClientKey?: string;
  body: string;
  notice: Notice | null;
  createdAt: string;
  editedAt?: string | null;
  deletedAt?: string | null;
  deletedBy?: DeletedBy | null;
  replyToId?: string | null;
  changeSeq?: number;
  editSeq?: number;
  mentions?: string[];
  /** The writer (a process's event outbox) that appended it in a batch: its crash recovery finds it by this (mongo-event-outbox.ts). */
  w?: string;
}

const messageSchema = new Schema<MessageDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, required: true, enum: MESSAGE_KINDS },
    senderId: { type: String, default: null },
    clientId: { type: String, default: null },
    senderClientKey: { type: String },
    body: { type: String, default: '' },
    notice: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: String, required: true },
    editedAt: { type: String, default: null },
    deletedAt: { type: String, default: null },
    deletedBy: { type: String, enum: [...DELETED_BY, null], default: null },
    replyToId: { type: String, default: null },
    changeSeq: { type: Number, default: 0 },
    editSeq: { type: Number },
    mentions: { type: [String], default: undefined },
    w: { type: String },
  },
  // minimize: false keeps an empty notice object as stored rather than dropping it.
  { versionKey: false, id: false, minimize: false },
);

// History pages, the last message of a chat and unread counts all walk this index.
messageSchema.index({ chatId: 1, seq: 1 }, { name: 'messages_chatId_seq', unique: true });
messageSchema.index({ senderClientKey: 1 }, { name: 'messages_senderClientKey', unique: true, sparse: true });
// Detaching or erasing a deleted user's messages.
messageSchema.index({ senderId: 1 }, { name: 'messages_senderId' });

export function messageModel(connection: Connection): Model<MessageDoc> {
  return connection.model<MessageDoc>('Message', messageSchema, 'messages');
}

export function senderClientKeyOf(senderId: string, clientId: string): string {
  return `${senderId}:${clientId}`;
}

export function messageToDoc(message: MessageRecord): MessageDoc {
  return {
    _id: message.id,
    chatId: message.chatId,
    seq: message.seq,
    kind: message.kind,
    senderId: message.senderId,
    clientId: message.clientId,
    ...(message.senderId !== null &&
      message.clientId !== null && { senderClientKey: senderClientKeyOf(message.senderId, message.clientId) }),
    body: message.body,
    notice: message.notice,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
    deletedBy: message.deletedBy,
    replyToId: message.replyToId,
    changeSeq: message.changeSeq,
    ...(message.mentions.length > 0 && { mentions: message.mentions }),
  };
}

export function docToMessage(doc: MessageDoc): MessageRecord {
  return {
    id: doc._id,
    chatId: doc.chatId,
    seq: doc.seq,
    kind: doc.kind,
    senderId: doc.senderId ?? null,
    clientId: doc.clientId ?? null,
    body: doc.body,
    notice: doc.notice ?? null,
    createdAt: doc.createdAt,
    editedAt: doc.editedAt ?? null,
    deletedAt: doc.deletedAt ?? null,
    deletedBy: doc.deletedBy ?? null,
    replyToId: doc.replyToId ?? null,
    changeSeq: doc.changeSeq ?? 0,
    mentions: doc.mentions ?? [],
  };
}
