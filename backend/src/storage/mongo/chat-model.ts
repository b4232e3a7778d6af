import { Schema, type Connection, type Model } from 'mongoose';
import { CHAT_KINDS, CHAT_VISIBILITIES, type ChatKind, type ChatVisibility } from '../../../../shared/src/schemas/chats.js';
import { legacyVisibility, type ChatRecord } from '../storage.js';

/**
 * A chat as stored in the `chats` collection. `lastSeq` and `lastChangeSeq` are moved forward
 * ($max) after a message or a change row has claimed its position; readers take the newer of
 * them and the newest message / change row (chat-activity.ts). `directKey` is left out of the document for groups (see the index note below).
 *
 * `visibility` is written with every new chat. Documents stored before it existed have no such
 * field and are read by the rule for existing chats (`legacyVisibility`): a group with a
 * password is public, every other chat private. Nothing rewrites them at start-up (FerretDB has
 * no transactions, and a process of the previous version could still be writing); search asks
 * for both forms, and the first update of such a chat writes the field (see MongoChatStore).
 */
export interface ChatDoc {
  _id: string;
  kind: ChatKind;
  name: string | null;
  /** The lower-cased name: what group search compares. */
  nameLower: string | null;
  /** Missing in documents stored before visibility existed. */
  visibility?: ChatVisibility;
  passwordHash: string | null;
  directKey?: string;
  lastSeq: number;
  /** Missing in documents stored before messages could change (read as 0). */
  lastChangeSeq?: number;
  createdAt: string;
  lastActivityAt: string;
}

const chatSchema = new Schema<ChatDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: CHAT_KINDS },
    name: { type: String, default: null },
    nameLower: { type: String, default: null },
    visibility: { type: String, enum: CHAT_VISIBILITIES },
    passwordHash: { type: String, default: null },
    directKey: { type: String },
    lastSeq: { type: Number, required: true, default: 0 },
    lastChangeSeq: { type: Number, default: 0 },
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
    visibility: chat.visibility,
    passwordHash: chat.passwordHash,
    ...(chat.directKey !== null && { directKey: chat.directKey }),
    lastSeq: chat.lastSeq,
    lastChangeSeq: chat.lastChangeSeq,
    createdAt: chat.createdAt,
    lastActivityAt: chat.lastActivityAt,
  };
}

export function docToChat(doc: ChatDoc): ChatRecord {
  return {
    id: doc._id,
    kind: doc.kind,
    name: doc.name ?? null,
    visibility: visibilityOf(doc),
    passwordHash: doc.passwordHash ?? null,
    directKey: doc.directKey ?? null,
    lastSeq: doc.lastSeq,
    lastChangeSeq: doc.lastChangeSeq ?? 0,
    createdAt: doc.createdAt,
    lastActivityAt: doc.lastActivityAt,
  };
}

/** The stored visibility, or for a document from before it existed, the rule for existing chats. */
export function visibilityOf(doc: Pick<ChatDoc, 'kind' | 'passwordHash' | 'visibility'>): ChatVisibility {
  return doc.visibility ?? legacyVisibility({ kind: doc.kind, passwordHash: doc.passwordHash ?? null });
}

/**
 * The query for public groups: those that say so, and those from before visibility existed
 * that have a password (`legacyVisibility`). A password is a string; a missing one is null or absent.
 */
export const PUBLIC_GROUPS = {
  kind: 'group' as const,
  $or: [{ visibility: 'public' as const }, { visibility: { $exists: false }, passwordHash: { $type: 'string' as const } }],
};
