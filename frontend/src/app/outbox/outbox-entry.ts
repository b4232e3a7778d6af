import type { Attachment, MessageEnvelope, ReplyQuote } from '@shared';
import type { Connection } from '../connection/connection.service';
import type { LocalChange } from '../timeline/state/local-change';

/**
 * A file of a message on its way: its bytes until they are uploaded (kept in the browser with the
 * entry, so a file picked offline or before a reload still goes), then the stored attachment.
 */
export interface QueuedFile {
  key: string;
  name: string;
  size: number;
  mime: string;
  kind: 'image' | 'file';
  blob?: Blob;
  attachment?: Attachment;
}

/** A message of ours on its way; `clientId` makes a resend harmless. */
export interface MessageEntry {
  type: 'message';
  /** The queue's key: the clientId. */
  key: string;
  chatId: string;
  body: string;
  replyTo?: string;
  /** The quote the pending reply shows until the server sends its own. */
  quote: ReplyQuote | null;
  /** When it was written: the pending copy's time, also after a reload. */
  createdAt: string;
  /** Its place in the queue; the browser's copy of the queue is read back in this order. */
  order: number;
  /** Its files, each uploaded before the message goes out; `body` is then their caption and may be empty. */
  files?: QueuedFile[];
  /** Why the server refused it for good: it is no longer sent, and waits for Retry or Delete. */
  failed?: string;
  attempts: number;
}

/**
 * An edit, delete or reaction of ours on its way. Each says the state it wants (the new body,
 * deleted, reaction on or off), so the server takes a resend as the same request.
 */
export interface ChangeEntry {
  type: 'change';
  /** The queue's key: the change's id. */
  key: string;
  chatId: string;
  messageId: string;
  change: LocalChange;
  /** Its place in the queue (see MessageEntry.order). */
  order: number;
  attempts: number;
}

export type OutboxEntry = MessageEntry | ChangeEntry;

/** Sends one message or change; resolves with the message as the server stored it. */
export function sendEntry(connection: Connection, entry: OutboxEntry): Promise<MessageEnvelope> {
  const { chatId } = entry;
  if (entry.type === 'message') {
    const { key: clientId, body, replyTo } = entry;
    const attachmentIds = (entry.files ?? []).flatMap((file) => (file.attachment ? [file.attachment.id] : []));
    return connection.request('chat:message', {
      chatId,
      clientId,
      body,
      ...(replyTo ? { replyTo } : {}),
      ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
    });
  }
  const { messageId, change } = entry;
  switch (change.kind) {
    case 'edit':
      return connection.request('message:edit', { chatId, messageId, body: change.body });
    case 'delete':
      return connection.request('message:delete', { chatId, messageId });
    case 'react':
      return connection.request('message:react', { chatId, messageId, emoji: change.emoji, on: change.on });
  }
}
