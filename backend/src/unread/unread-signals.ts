import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EmitOptions, LiveEvent, LivePayload, LiveUpdates } from '../live-updates.js';
import type { UnreadStreamHub } from './unread-stream-hub.js';

/** Where "the counts of this chat's members / these users may have changed" goes. */
export interface UnreadSignals {
  chat(chatId: string): void;
  users(userIds: readonly string[]): void;
  close(): Promise<void>;
}

/** Live events that never change a count. */
const QUIET: ReadonlySet<LiveEvent> = new Set(['chat:typing', 'presence', 'user:updated', 'session:ended'] as LiveEvent[]);

/**
 * The live updates, unchanged, that also signal the unread streams: whatever the use cases tell
 * a chat's members or some users (a message, a change, a receipt, a chat created or removed, a
 * notify level) may change their counts, and an ended session may end their streams. This keeps the streams in step with the sockets
 * without a use case knowing about them.
 */
export function withUnreadSignals(live: LiveUpdates, signals: UnreadSignals): LiveUpdates {
  return {
    toUsers<E extends LiveEvent>(userIds: readonly string[], event: E, payload: LivePayload<E>, options?: EmitOptions) {
      live.toUsers(userIds, event, payload, options);
      if (!QUIET.has(event)) signals.users(userIds);
    },
    toChat<E extends LiveEvent>(chatId: string, event: E, payload: LivePayload<E>, options?: EmitOptions) {
      live.toChat(chatId, event, payload, options);
      if (!QUIET.has(event)) signals.chat(chatId);
    },
    toEveryone: (event, payload) => live.toEveryone(event, payload),
    joinChat: (userIds, chatId) => live.joinChat(userIds, chatId),
    leaveChat: (userIds, chatId) => live.leaveChat(userIds, chatId),
    disconnectUser: (userId, reason, options) => {
      live.disconnectUser(userId, reason, options);
      // A banned, disabled or deleted user's streams close at their recount.
      signals.users([userId]);
    },
  };
}

/** One process: signals go straight to the hub. */
export function localUnreadSignals(hub: UnreadStreamHub): UnreadSignals {
  return {
    chat: (chatId) => hub.chatChanged(chatId),
    users: (userIds) => hub.usersChanged(userIds),
    close: async () => {},
  };
}

const CHANNEL = 'chat:unread-signals';

/** Several processes (REDIS_URL): signals are published, and every process's hub hears them, its own included. */
export async function redisUnreadSignals(redis: Redis, hub: UnreadStreamHub, logger: Logger): Promise<UnreadSignals> {
  const subscriber = redis.duplicate();
  await subscriber.subscribe(CHANNEL);
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const signal = JSON.parse(raw) as { chat?: string; users?: string[] };
      if (typeof signal.chat === 'string') hub.chatChanged(signal.chat);
      if (Array.isArray(signal.users)) hub.usersChanged(signal.users);
    } catch {
      // Not ours: ignored.
    }
  });
  const publish = (signal: object) => {
    redis.publish(CHANNEL, JSON.stringify(signal)).catch((error: unknown) => logger.warn({ err: error }, 'unread signal not published'));
  };
  return {
    chat: (chatId) => publish({ chat: chatId }),
    users: (userIds) => {
      if (userIds.length > 0) publish({ users: userIds });
    },
    close: async () => {
      await subscriber.quit().catch(() => undefined);
    },
  };
}
