import type { WebhookBatch, WebhookEvent } from '../../../shared/src/schemas/webhooks.js';
import type { EventRecord, MessageRecord, Storage, UserRecord } from '../storage/storage.js';

/**
 * The body of one delivery: the events with what they name, read now. A message is sent as it
 * is at delivery time: a message deleted since shows its tombstone (empty body), and an erased
 * one (its sender's account deleted with messages=erase) is null. Bodies are never kept in the log.
 */
export async function buildBatch(storage: Storage, subscriptionId: string, events: readonly EventRecord[]): Promise<WebhookBatch> {
  const messageIds = [...new Set(events.flatMap((event) => (event.messageId ? [event.messageId] : [])))];
  const messages = new Map((await storage.messages.byIds(messageIds)).map((message) => [message.id, message]));
  const userIds = new Set<string>();
  for (const event of events) if (event.userId) userIds.add(event.userId);
  for (const message of messages.values()) if (message.senderId) userIds.add(message.senderId);
  const users = new Map((await storage.users.byIds([...userIds])).map((user) => [user.id, user]));
  const userView = (id: string | null) => {
    const user = id ? users.get(id) : undefined;
    return user ? webhookUser(user) : null;
  };
  return {
    subscriptionId,
    events: events.map((event): WebhookEvent => {
      const message = event.messageId ? messages.get(event.messageId) : undefined;
      return {
        id: event.id,
        type: event.type,
        position: event.position,
        createdAt: event.createdAt,
        data: {
          chatId: event.chatId,
          user: event.userId ? (userView(event.userId) ?? { id: event.userId, username: '', externalId: null }) : null,
          message: message ? webhookMessage(message, userView(message.senderId)) : null,
        },
      };
    }),
  };
}

function webhookUser(user: UserRecord) {
  return { id: user.id, username: user.username, externalId: user.externalId };
}

function webhookMessage(message: MessageRecord, sender: ReturnType<typeof webhookUser> | null) {
  return {
    id: message.id,
    chatId: message.chatId,
    seq: message.seq,
    kind: message.kind,
    sender,
    body: message.body,
    replyToId: message.replyToId,
    mentions: message.mentions,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
    deletedAt: message.deletedAt,
  };
}
