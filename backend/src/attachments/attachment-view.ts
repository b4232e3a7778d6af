import type { Attachment } from '../../../shared/src/schemas/attachments.js';
import type { AttachmentRecord } from '../storage/storage.js';

/** A stored upload as clients see it: no uploader, no blob keys, no claim. */
export function toAttachment(record: AttachmentRecord): Attachment {
  const attachment: Attachment = { id: record.id, name: record.name, size: record.size, mime: record.mime, kind: record.kind };
  if (record.kind === 'image') {
    if (record.width !== null) attachment.width = record.width;
    if (record.height !== null) attachment.height = record.height;
    attachment.animated = record.animated;
  }
  return attachment;
}

/** Attachments grouped per message id, in position order. */
export function attachmentsByMessage(records: readonly AttachmentRecord[]): Map<string, Attachment[]> {
  const sorted = [...records].sort((a, b) => a.position - b.position);
  const grouped = new Map<string, Attachment[]>();
  for (const record of sorted) {
    if (record.messageId === null) continue;
    let list = grouped.get(record.messageId);
    if (!list) grouped.set(record.messageId, (list = []));
    list.push(toAttachment(record));
  }
  return grouped;
}
