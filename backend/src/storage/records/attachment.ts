/** The attachment record both adapters store. */
import { newId } from '../ids.js';
import type { AttachmentRecord, NewAttachment } from '../storage.js';

/** A fresh upload: a new id, its creation time, claimed by no message yet. */
export function newAttachmentRecord(attachment: NewAttachment, createdAt: string): AttachmentRecord {
  return { ...attachment, id: newId(), chatId: null, clientId: null, messageId: null, position: 0, createdAt };
}
