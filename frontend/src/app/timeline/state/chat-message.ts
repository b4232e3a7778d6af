import type { ChangeKind, Message, ReplyQuote } from '@shared';
import { mentionedIds } from '@shared/mention-tokens';
import type { LocalChange } from './local-change';

/**
 * A file of a pending message of ours: waiting to be uploaded or uploading, or stored (`done`)
 * and waiting for the message to go out.
 */
export interface PendingUpload {
  key: string;
  name: string;
  size: number;
  mime: string;
  kind: 'image' | 'file';
  done: boolean;
}

/**
 * A message as the client shows it: a stored message, or one of ours still waiting for the
 * server's ack (`local: 'pending'`), or refused by it (`local: 'failed'`).
 *
 * A stored message we edited, deleted or reacted to shows the change at once: its fields are as
 * they will be once the server applies it, and `pendingChange` says it is still on its way.
 */
export type ChatMessage = Message & {
  local?: 'pending' | 'failed';
  /** Why a failed message was refused. */
  error?: string;
  /** The newest of our changes to this message still waiting for the server's ack. */
  pendingChange?: ChangeKind;
  /** Why the server refused our last change to this message; it shows its stored state again. */
  changeError?: string;
  /** Ours, pending: the files it carries, uploaded before it goes out. */
  uploads?: readonly PendingUpload[];
  /** For the transitions: the message as the server stored it, under our pending changes. */
  stored?: Message;
  /** For the transitions: our pending changes to it, oldest first. */
  localChanges?: readonly LocalChange[];
};

export function pendingMessage(
  chatId: string,
  senderId: string,
  clientId: string,
  body: string,
  now: Date,
  replyTo: ReplyQuote | null = null,
  uploads: readonly PendingUpload[] = [],
): ChatMessage {
  return {
    id: `local:${clientId}`,
    chatId,
    seq: 0,
    kind: 'text',
    senderId,
    clientId,
    body,
    notice: null,
    createdAt: now.toISOString(),
    editedAt: null,
    deletedAt: null,
    deletedBy: null,
    reactions: [],
    replyTo,
    changeSeq: 0,
    // Until the server says which of them are members: every id the tokens name, ourselves left out.
    mentions: mentionedIds(body).filter((id) => id !== senderId),
    attachments: [],
    ...(uploads.length > 0 ? { uploads } : {}),
    local: 'pending',
  };
}
