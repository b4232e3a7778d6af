import type { ChangeKind, MessageChange } from '../../../shared/src/schemas/message-changes.js';
import { QUOTE_PREVIEW_LENGTH, type Message, type Reaction, type ReplyQuote } from '../../../shared/src/schemas/messages.js';
import type { Attachment } from '../../../shared/src/schemas/attachments.js';
import { attachmentsByMessage } from '../attachments/attachment-view.js';
import type { MessageRecord, ReactionRecord, Storage } from '../storage/storage.js';

/** What a message view needs besides the record: its reactions and the quote of the message it answers. */
export interface MessageExtras {
  reactions: Reaction[];
  replyTo: ReplyQuote | null;
  attachments: Attachment[];
}

const NO_EXTRAS: MessageExtras = { reactions: [], replyTo: null, attachments: [] };

/**
 * A stored message as clients see it. A deleted message is a tombstone: its body is already
 * erased in the store, and it carries neither reactions (the store dropped them) nor a quote.
 */
export function toMessage(record: MessageRecord, extras: MessageExtras = NO_EXTRAS): Message {
  const deleted = record.deletedAt !== null;
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
    editedAt: record.editedAt,
    deletedAt: record.deletedAt,
    deletedBy: record.deletedBy,
    reactions: deleted ? [] : extras.reactions,
    replyTo: deleted ? null : extras.replyTo,
    changeSeq: record.changeSeq,
    mentions: deleted ? [] : record.mentions,
    attachments: deleted ? [] : extras.attachments,
  };
}

/**
 * A message just stored by this request: nobody can have reacted to it yet, and the message it
 * answers (if any) was read to check it, so no further read is needed.
 */
export function newMessageView(record: MessageRecord, original: MessageRecord | null, attachments: Attachment[] = []): Message {
  return toMessage(record, { reactions: [], replyTo: original ? quoteOf(original) : null, attachments });
}

/**
 * Views of stored messages, in the order given, with their reactions and quotes read in one
 * batch for the whole list: one `reactionsOf` and one `attachments.ofMessages` for every live
 * message, one `byIds` for the originals of replies that are not in the list themselves. Never a
 * read per message.
 */
export async function messageViews(storage: Storage, records: readonly MessageRecord[]): Promise<Message[]> {
  if (records.length === 0) return [];
  const live = records.filter((record) => record.deletedAt === null);
  const inList = new Map(records.map((record) => [record.id, record]));
  const missing = [...new Set(live.flatMap((record) => (record.replyToId && !inList.has(record.replyToId) ? [record.replyToId] : [])))];
  const liveIds = live.map((record) => record.id);
  const [reactions, originals, attachments] = await Promise.all([
    live.length > 0 ? storage.messages.reactionsOf(liveIds) : Promise.resolve([]),
    missing.length > 0 ? storage.messages.byIds(missing) : Promise.resolve([]),
    live.length > 0 ? storage.attachments.ofMessages(liveIds) : Promise.resolve([]),
  ]);
  const attached = attachmentsByMessage(attachments);
  for (const original of originals) inList.set(original.id, original);
  const grouped = groupReactions(reactions);
  return records.map((record) =>
    toMessage(record, {
      reactions: grouped.get(record.id) ?? [],
      replyTo: record.replyToId ? quoteOf(inList.get(record.replyToId) ?? null, record.replyToId) : null,
      attachments: attached.get(record.id) ?? [],
    }),
  );
}

/** One message's view (see messageViews). */
export async function messageView(storage: Storage, record: MessageRecord): Promise<Message> {
  const [view] = await messageViews(storage, [record]);
  return view!;
}

/** The live event and sync entry for a change: the chat's change position it took, and the message after it. */
export function toMessageChange(chatId: string, changeSeq: number, kind: ChangeKind, message: Message): MessageChange {
  return { chatId, changeSeq, kind, message };
}

/**
 * The quote of the message a reply answers, from its current state: an edit shows through, a
 * deleted original (or one erased with its sender's account) shows `deleted` and no preview.
 */
export function quoteOf(original: MessageRecord | null, messageId = original?.id ?? ''): ReplyQuote {
  if (!original || original.deletedAt !== null) return { messageId, senderId: original?.senderId ?? null, preview: '', deleted: true };
  return { messageId, senderId: original.senderId, preview: preview(original.body), deleted: false };
}

/** The first QUOTE_PREVIEW_LENGTH characters (code points, so no emoji is cut in half). */
function preview(body: string): string {
  if (body.length <= QUOTE_PREVIEW_LENGTH) return body;
  return Array.from(body).slice(0, QUOTE_PREVIEW_LENGTH).join('');
}

/** Reactions per message, grouped by emoji in order of each emoji's first reaction, reactors oldest first. */
function groupReactions(reactions: readonly ReactionRecord[]): Map<string, Reaction[]> {
  const byMessage = new Map<string, Map<string, string[]>>();
  for (const reaction of reactions) {
    let byEmoji = byMessage.get(reaction.messageId);
    if (!byEmoji) byMessage.set(reaction.messageId, (byEmoji = new Map()));
    let userIds = byEmoji.get(reaction.emoji);
    if (!userIds) byEmoji.set(reaction.emoji, (userIds = []));
    userIds.push(reaction.userId);
  }
  const grouped = new Map<string, Reaction[]>();
  for (const [messageId, byEmoji] of byMessage) grouped.set(messageId, [...byEmoji].map(([emoji, userIds]) => ({ emoji, userIds })));
  return grouped;
}
