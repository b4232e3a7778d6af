import type { TypingRequest } from '../../../shared/src/schemas/presence.js';
import { requireMember } from '../chats/membership-guard.js';
import type { Actor } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import type { TypingTracker } from './typing-tracker.js';

/**
 * The actor started or stopped typing in a chat. Members only. In a direct chat where either side
 * blocks the other the indicator is silently dropped, as the message would be refused anyway.
 */
export async function setTyping(deps: { storage: Storage; typing: TypingTracker }, actor: Actor, request: TypingRequest): Promise<null> {
  const { chat } = await requireMember(deps.storage, request.chatId, actor.userId);
  if (!request.typing) {
    deps.typing.stopped(chat.id, actor.userId);
    return null;
  }
  if (chat.kind === 'direct') {
    const members = await deps.storage.members.list(chat.id);
    const other = members.find((m) => m.userId !== actor.userId);
    if (other && (await deps.storage.blocks.eitherBlocks(actor.userId, other.userId))) return null;
  }
  deps.typing.started(chat.id, actor.userId, actor.socketId);
  return null;
}
