/** The message record both adapters store. */
import { newId } from '../ids.js';
import type { MessageRecord, NewMessage } from '../storage.js';

/** The message with a fresh id, the seq it was given in its chat, and its creation time; never changed yet. */
export function newMessageRecord(message: NewMessage, seq: number, createdAt: string): MessageRecord {
  return {
    id: newId(),
    chatId: message.chatId,
    seq,
    kind: message.kind,
    senderId: message.senderId,
    clientId: message.clientId,
    body: message.body,
    notice: message.notice,
    createdAt,
    editedAt: null,
    deletedAt: null,
    deletedBy: null,
    replyToId: message.replyToId ?? null,
    changeSeq: 0,
    mentions: [...new Set(message.mentions ?? [])],
  };
}
