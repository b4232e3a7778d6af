import type { Message } from '../../../shared/src/schemas/messages.js';
import type { MessageRecord } from '../storage/storage.js';

/** A stored message as clients see it. */
export function toMessage(record: MessageRecord): Message {
  return {
    id: record.id,
    chatId: record.chatId,
    seq: record.seq,
    kind: record.kind,
    senderId: record.senderId,
    clientId: record.clientId,
    body: record.body,
    notice: record.notice,
    createdAt: record.createdAt,
  };
}
