import type { Message } from '../../../shared/src/domain.js';
import type { SendMessageRequest } from '../../../shared/src/schemas/messages.js';
import { AppError } from '../app-error.js';
import { announceNewChat } from '../chats/chat-announcements.js';
import { requireMember } from '../chats/membership-guard.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import { ConflictError } from '../storage/errors.js';
import type { MessageRecord, Storage } from '../storage/storage.js';
import { toMessage } from './message-view.js';

type Deps = { storage: Storage; live: LiveUpdates };

/**
 * Sends a text message: persist, then acknowledge, then emit.
 *
 * Only members may send. In a direct chat nothing is stored when either side blocks the other.
 * The body arrives trimmed and 1..4000 characters long (the shared schema sees to it).
 * A retry with the same `clientId` stores nothing new and answers with the original message,
 * without sending it to anyone again.
 *
 * Members who did not have the chat in their list (the other side of a direct chat at its first
 * message, or someone who deleted it) get `chat:created` first; then the chat's room, the sender's
 * other tabs included, gets `chat:message`.
 */
export async function sendMessage(deps: Deps, actor: Actor, request: SendMessageRequest): Promise<{ message: Message }> {
  const { storage, live } = deps;
  const { chat } = await requireMember(storage, request.chatId, actor.userId);
  const earlier = await storage.messages.bySenderClientId(actor.userId, request.clientId);
  if (earlier) return { message: toMessage(sameRequest(earlier, request)) };

  const members = await storage.members.list(chat.id);
  if (chat.kind === 'direct') {
    const other = members.find((m) => m.userId !== actor.userId);
    if (other && (await storage.blocks.eitherBlocks(actor.userId, other.userId))) {
      throw new AppError('blocked', 'You cannot message this user');
    }
  }

  let stored: MessageRecord;
  try {
    stored = await storage.messages.append({
      chatId: chat.id,
      kind: 'text',
      senderId: actor.userId,
      clientId: request.clientId,
      body: request.body,
      notice: null,
    });
  } catch (error) {
    // A concurrent retry of the same send won the race: answer with its message.
    const original = error instanceof ConflictError ? await storage.messages.bySenderClientId(actor.userId, request.clientId) : null;
    if (original) return { message: toMessage(sameRequest(original, request)) };
    throw error;
  }

  const message = toMessage(stored);
  const revealedTo = members.filter((m) => m.hidden).map((m) => m.userId);
  await announceNewChat(deps, chat.id, revealedTo);
  live.toChat(chat.id, 'chat:message', message, notBackTo(actor));
  return { message };
}

/** A clientId names one message: reusing it for another chat is a client bug, not a retry. */
function sameRequest(earlier: MessageRecord, request: SendMessageRequest): MessageRecord {
  if (earlier.chatId !== request.chatId) {
    throw new AppError('conflict', 'This clientId was already used for a message in another chat', { clientId: 'is already used' });
  }
  return earlier;
}
