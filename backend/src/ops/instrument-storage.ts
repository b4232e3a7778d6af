import type { MessageStore, NewMessage, Storage } from '../storage/storage.js';
import type { Metrics } from './metrics.js';

const SUB_STORES = ['users', 'chats', 'members', 'messages', 'blocks', 'refreshTokens', 'audit'] as const;

/**
 * The same storage, with every sub-store call timed into `storeQueryLatency` under
 * `<store>.<method>` (e.g. `messages.append`), whether it succeeds or fails, and every stored
 * message counted in `messagesStored`. Nothing else changes.
 */
export function instrumentStorage(storage: Storage, metrics: Metrics): Storage {
  const timed = new Map<string, unknown>();
  for (const name of SUB_STORES) timed.set(name, timeCalls(storage[name], name, metrics));
  const messages = timed.get('messages') as MessageStore;
  timed.set('messages', new Proxy(messages, {
    get(target, property, receiver) {
      if (property !== 'append') return Reflect.get(target, property, receiver);
      return async (message: NewMessage) => {
        const stored = await target.append(message);
        metrics.messagesStored.inc({ kind: stored.kind });
        return stored;
      };
    },
  }));
  return new Proxy(storage, {
    get(target, property, receiver) {
      if (typeof property === 'string' && timed.has(property)) return timed.get(property);
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function timeCalls<T extends object>(store: T, storeName: string, metrics: Metrics): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const end = metrics.storeQueryLatency.startTimer({ operation: `${storeName}.${property}` });
        try {
          const result = method.apply(target, args);
          if (result instanceof Promise) return result.finally(() => end());
          end();
          return result;
        } catch (error) {
          end();
          throw error;
        }
      };
    },
  });
}
