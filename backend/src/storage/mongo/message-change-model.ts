import { Schema, type Connection, type Model } from 'mongoose';
import { CHANGE_KINDS, type ChangeKind } from '../../../../shared/src/schemas/message-changes.js';
import { DELETED_BY, type DeletedBy } from '../../../../shared/src/schemas/messages.js';
import type { ChangeRecord } from '../storage.js';

/**
 * One change of the chat's change log, in the `messageChanges` collection. Inserting it is what
 * claims the change position: the unique (chatId, changeSeq) index lets one writer have each
 * (see MongoMessageStore.change). `_id` is "<chatId>:<changeSeq>" (changeIdOf), so that whether
 * a position is taken is a lookup by _id, which FerretDB 1.x serves without decoding the
 * collection (it filters nothing else in SQLite). Beyond the port's ChangeRecord it carries what the message
 * document is rebuilt from when a concurrent write on FerretDB lost part of it:
 * - a delete: `deletedBy`;
 * - an edit: the new `body`, kept only while it is the message's newest edit and the message is
 *   not deleted (older edits' bodies are removed once a newer one is applied; a delete removes
 *   all of them), so the log never holds more text than the message itself; and the edit's
 *   `mentions` (ids, left out when none).
 */
export interface MessageChangeDoc {
  _id: string;
  chatId: string;
  changeSeq: number;
  messageId: string;
  kind: ChangeKind;
  actorId: string;
  at: string;
  deletedBy?: DeletedBy;
  body?: string;
  mentions?: string[];
}

const messageChangeSchema = new Schema<MessageChangeDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    changeSeq: { type: Number, required: true },
    messageId: { type: String, required: true },
    kind: { type: String, required: true, enum: CHANGE_KINDS },
    actorId: { type: String, required: true },
    at: { type: String, required: true },
    deletedBy: { type: String, enum: DELETED_BY },
    body: { type: String },
    mentions: { type: [String], default: undefined },
  },
  { versionKey: false, id: false },
);

// Claims positions, and serves changesAfter and the newest change of a chat.
messageChangeSchema.index({ chatId: 1, changeSeq: 1 }, { name: 'messageChanges_chatId_changeSeq', unique: true });
// A message's newest change, its first delete and its newest edit.
messageChangeSchema.index({ messageId: 1, changeSeq: 1 }, { name: 'messageChanges_messageId_changeSeq' });
messageChangeSchema.index({ messageId: 1, kind: 1, changeSeq: 1 }, { name: 'messageChanges_messageId_kind_changeSeq' });

export function messageChangeModel(connection: Connection): Model<MessageChangeDoc> {
  return connection.model<MessageChangeDoc>('MessageChange', messageChangeSchema, 'messageChanges');
}

export function changeIdOf(chatId: string, changeSeq: number): string {
  return `${chatId}:${changeSeq}`;
}

export function docToChange(doc: MessageChangeDoc): ChangeRecord {
  return {
    chatId: doc.chatId,
    changeSeq: doc.changeSeq,
    messageId: doc.messageId,
    kind: doc.kind,
    actorId: doc.actorId,
    at: doc.at,
  };
}
