import type { Message } from '@shared';
import type { ChatMessage } from './chat-message';
import { withStoredState } from './message-changes';

/**
 * Merges messages into a chat's list: one entry per message id (of two states of a stored
 * message the newer, by changeSeq, with our pending changes kept on top), a stored message
 * replaces our local copy with the same clientId, stored messages ordered by seq, local ones last.
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly Message[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const message of current) byId.set(message.id, message);
  for (const message of incoming) {
    const held = byId.get(message.id);
    byId.set(message.id, held && !held.local ? withStoredState(held, message) : message);
  }

  const stored: ChatMessage[] = [];
  const local: ChatMessage[] = [];
  for (const message of byId.values()) (message.local ? local : stored).push(message);
  const storedClientIds = new Set(stored.map((m) => m.clientId).filter((id): id is string => id !== null));

  stored.sort((a, b) => a.seq - b.seq);
  const stillLocal = local
    .filter((m) => !storedClientIds.has(m.clientId ?? ''))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return [...stored, ...stillLocal];
}

/** The newest message the server has stored, the cursor for `sync`. */
export function lastStoredMessage(list: readonly ChatMessage[]): ChatMessage | null {
  for (let i = list.length - 1; i >= 0; i--) if (!list[i]!.local) return list[i]!;
  return null;
}

/** The oldest stored message, the cursor for `chat:history`. */
export function firstStoredMessage(list: readonly ChatMessage[]): ChatMessage | null {
  return list.find((m) => !m.local) ?? null;
}
