/** What is needed of an attachment (stored or still uploading) to name it in a line of text. */
export interface NamedAttachment {
  name: string;
  kind: 'image' | 'file';
}

/** A message's attachments in a few words, for the chat list, notifications and announcements; '' for none. */
export function attachmentSummary(attachments: readonly NamedAttachment[] | undefined): string {
  const list = attachments ?? [];
  if (list.length === 0) return '';
  const pictures = list.filter((a) => a.kind === 'image').length;
  if (list.length === 1) return pictures === 1 ? '📷 Picture' : `📎 ${list[0]!.name}`;
  if (pictures === list.length) return `📷 ${list.length} pictures`;
  if (pictures === 0) return `📎 ${list.length} files`;
  return `📎 ${list.length} attachments`;
}

/** The text of a message in one line: its (already plain) text, else what it carries. */
export function messageLine(text: string, attachments: readonly NamedAttachment[] | undefined): string {
  return text.trim() ? text : attachmentSummary(attachments);
}
