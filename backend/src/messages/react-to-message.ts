import type { ReactRequest } from '../../../shared/src/schemas/message-changes.js';
import { MAX_REACTIONS_PER_MESSAGE, type MessageEnvelope } from '../../../shared/src/schemas/messages.js';
import { AppError } from '../app-error.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { applyChange, messageWasDeleted, requireMessageOfChat } from './message-target.js';

/**
 * Puts the actor's reaction with one emoji on a message (`on: true`) or takes it off (`false`).
 * Any member may react to any message of the chat that is not deleted (`conflict` otherwise);
 * non-members get `not_found`, as for a missing chat. The emoji is exactly one (the shared
 * schema sees to it); a message carries at most MAX_REACTIONS_PER_MESSAGE distinct emoji: a new
 * one past that is `limit_exceeded` (reacting with an emoji already there always works).
 *
 * Saying the wanted state makes a retry harmless: a reaction already so stores nothing and
 * answers with the message as it is. A real change takes the chat's next change position and the
 * chat's room (the actor's other tabs too) gets `message:changed`.
 */
export async function reactToMessage(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, request: ReactRequest): Promise<MessageEnvelope> {
  const { storage } = deps;
  const { message } = await requireMessageOfChat(storage, request.chatId, request.messageId, actor.userId);
  if (message.deletedAt !== null) throw messageWasDeleted();
  if (request.on) await assertRoomForEmoji(storage, message.id, request.emoji);

  const change = { kind: 'react', messageId: message.id, actorId: actor.userId, emoji: request.emoji, on: request.on } as const;
  return { message: await applyChange(deps, actor, request.chatId, change) };
}

/**
 * @throws AppError limit_exceeded when the emoji is not on the message yet and the message already
 * carries MAX_REACTIONS_PER_MESSAGE distinct ones. (Two new emoji racing for the last place may
 * both get it: the cap is a limit on clutter, not a guarantee.)
 */
async function assertRoomForEmoji(storage: Storage, messageId: string, emoji: string): Promise<void> {
  const emojis = new Set((await storage.messages.reactionsOf([messageId])).map((reaction) => reaction.emoji));
  if (!emojis.has(emoji) && emojis.size >= MAX_REACTIONS_PER_MESSAGE) {
    throw new AppError('limit_exceeded', `A message can carry at most ${MAX_REACTIONS_PER_MESSAGE} different emoji`);
  }
}
