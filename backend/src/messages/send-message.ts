import type { Message, SendMessageRequest } from '../../../shared/src/schemas/messages.js';
import type { Attachment } from '../../../shared/src/schemas/attachments.js';
import { AppError } from '../app-error.js';
import { toAttachment } from '../attachments/attachment-view.js';
import { announceNewChat } from '../chats/chat-announcements.js';
import type { ChatKinds } from '../chats/chat-kinds.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import { ConflictError } from '../storage/errors.js';
import type { MemberList, MessageRecord, Storage } from '../storage/storage.js';
import { messageView, newMessageView } from '../timeline/message-view.js';
import { mentionsOf } from './message-mentions.js';

type Deps = { storage: Storage; live: LiveUpdates; chatKinds: ChatKinds };

/**
 * Sends a text message: persist, then acknowledge, then emit.
 *
 * Only members may send: the chat's member list is read fresh from the store for every message
 * (one read; the chat's kind, which never changes, comes from memory), so a member removed by
 * any process cannot send once the removal is stored. A non-member gets what a missing chat
 * gets (`not_found`). In a direct chat nothing is stored when either side blocks the other.
 * The body arrives trimmed and 1..4000 characters long (the shared schema sees to it).
 *
 * A retry with the same `clientId` stores nothing new and answers with the original message,
 * without sending it to anyone again. The store's unique (sender, clientId) index decides: the
 * append is refused with ConflictError('clientId'), and the original is read back — so a first
 * send costs no lookup.
 *
 * The message's `mentions` are the members its `<@userId>` tokens name (message-mentions.ts),
 * from the same member list; tokens naming anyone else stay text without effect.
 *
 * A reply names the message it answers (`replyTo`), which must be a message of the same chat
 * (`validation_failed`, `fields.replyTo`, otherwise — an unknown id included); it is read together
 * with the members, and its current state makes the quote. A send without `replyTo` reads nothing
 * more: a brand-new message has no reactions.
 *
 * Attachments (`attachmentIds`) must be uploads of the sender for a message (purpose `message`)
 * that no message holds yet (`validation_failed`, `fields.attachmentIds`, otherwise — nothing is
 * stored). The store claims all of them for this (sender, clientId) at once before the message
 * is appended, so two sends racing for one upload cannot both get it, and links them to the
 * message once it is stored; a failed append gives the claims back.
 *
 * Members who did not have the chat in their list (the other side of a direct chat at its first
 * message, or someone who deleted it) get `chat:created` first; then the chat's room, the sender's
 * other tabs included, gets `chat:message`.
 */
export async function sendMessage(deps: Deps, actor: Actor, request: SendMessageRequest): Promise<{ message: Message }> {
  const { storage, live } = deps;
  const [kind, members, repliedTo] = await Promise.all([
    deps.chatKinds.of(request.chatId),
    storage.members.list(request.chatId),
    request.replyTo === undefined ? null : storage.messages.byId(request.replyTo),
  ]);
  if (!kind || !members.some((member) => member.userId === actor.userId)) throw new AppError('not_found', 'Chat not found');
  if (request.replyTo !== undefined && repliedTo?.chatId !== request.chatId) {
    throw new AppError('validation_failed', 'A reply must answer a message of the same chat', { replyTo: 'must be a message of this chat' });
  }
  if (kind === 'direct') await refuseIfBlocked(storage, actor, request, members);

  const attachmentIds = request.attachmentIds ?? [];
  let attachments: Attachment[] = [];
  if (attachmentIds.length > 0) {
    const claimed = await claimAttachments(storage, actor, request, attachmentIds);
    if ('retry' in claimed) return { message: await messageView(storage, sameRequest(claimed.retry, request)) };
    attachments = claimed.attachments;
  }

  let stored: MessageRecord;
  try {
    stored = await storage.messages.append({
      chatId: request.chatId,
      kind: 'text',
      senderId: actor.userId,
      clientId: request.clientId,
      body: request.body,
      notice: null,
      replyToId: repliedTo?.id ?? null,
      mentions: mentionsOf(request.body, members, actor.userId),
    });
  } catch (error) {
    // A retry of an earlier send (or a concurrent retry that won the race): answer with its message as it is now.
    const earlier = error instanceof ConflictError ? await storage.messages.bySenderClientId(actor.userId, request.clientId) : null;
    if (earlier) return { message: await messageView(storage, sameRequest(earlier, request)) };
    if (attachmentIds.length > 0) await storage.attachments.release(actor.userId, request.clientId);
    throw error;
  }
  if (attachmentIds.length > 0) await storage.attachments.link(actor.userId, request.clientId, stored.id);

  const message = newMessageView(stored, repliedTo, attachments);
  const revealedTo: string[] = [];
  for (const member of members) if (member.hidden) revealedTo.push(member.userId);
  if (revealedTo.length > 0) await announceNewChat(deps, request.chatId, revealedTo);
  // Those just put in the chat's room hear this first message through their own rooms too.
  live.toChat(request.chatId, 'chat:message', message, { ...notBackTo(actor), ...(revealedTo.length > 0 && { alsoToUsers: revealedTo }) });
  return { message };
}

/**
 * In a direct chat, nothing goes through while either side blocks the other — except the answer
 * to a retry of a message stored before the block.
 */
async function refuseIfBlocked(storage: Storage, actor: Actor, request: SendMessageRequest, members: MemberList): Promise<void> {
  const other = members.find((member) => member.userId !== actor.userId);
  if (!other || !(await storage.blocks.eitherBlocks(actor.userId, other.userId))) return;
  const earlier = await storage.messages.bySenderClientId(actor.userId, request.clientId);
  if (earlier) return;
  throw new AppError('blocked', 'You cannot message this user');
}

/**
 * Claims the uploads for this send, in the order given. When they cannot all be claimed, a stored
 * message with this clientId means a retry (its uploads are already linked to it); otherwise the
 * ids are refused.
 */
async function claimAttachments(
  storage: Storage,
  actor: Actor,
  request: SendMessageRequest,
  ids: readonly string[],
): Promise<{ attachments: Attachment[] } | { retry: MessageRecord }> {
  const records = await storage.attachments.byIds(ids);
  const byId = new Map(records.map((record) => [record.id, record]));
  const usable = ids.every((id) => {
    const record = byId.get(id);
    return record?.uploaderId === actor.userId && record.purpose === 'message' && record.messageId === null;
  });
  if (usable && (await storage.attachments.claim(ids, { uploaderId: actor.userId, clientId: request.clientId, chatId: request.chatId }))) {
    return { attachments: ids.map((id) => toAttachment(byId.get(id)!)) };
  }
  const earlier = await storage.messages.bySenderClientId(actor.userId, request.clientId);
  if (earlier) return { retry: earlier };
  throw new AppError('validation_failed', 'Attach only your own uploads that no message holds yet', {
    attachmentIds: 'must name your own uploads not attached to a message',
  });
}

/** A clientId names one message: reusing it for another chat is a client bug, not a retry. */
function sameRequest(earlier: MessageRecord, request: SendMessageRequest): MessageRecord {
  if (earlier.chatId !== request.chatId) {
    throw new AppError('conflict', 'This clientId was already used for a message in another chat', { clientId: 'is already used' });
  }
  return earlier;
}
