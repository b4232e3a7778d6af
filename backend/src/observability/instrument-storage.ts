import type { MessageStore, NewMessage, Storage } from '../storage/storage.js';
import type { Metrics } from './metrics.js';

const SUB_STORES = ['users', 'chats', 'members', 'messages', 'blocks', 'refreshTokens', 'audit'] as const;

/**
 * The same storage, with every sub-store call timed into `storeQueryLatency` under
 * `<store>.<method>` (e.g. `messages.append`), whether it succeeds or fails, and every stored
 * message counted in `messagesStored`. Nothing else changes.
 *
 * Each method's wrapper is made once, on its first use, and reused: a store call costs one
 * timer, not a new closure and label set.
 */
export function instrumentStorage(storage: Storage, metrics: Metrics): Storage {
  const timed = new Map<string, unknown>();
  for (const name of SUB_STORES) timed.set(name, timeCalls(storage[name], name, metrics));
  const messages = timed.get('messages') as MessageStore;
  const countedAppend = async (message: NewMessage) => {
    const stored = await messages.append(message);
    metrics.messagesStored.inc({ kind: stored.kind });
    return stored;
  };
  timed.set('messages', new Proxy(messages, {
    get(target, property, receiver) {
      return property === 'append' ? countedAppend : Reflect.get(target, property, receiver);
    },
  }));
  const bound = new Map<PropertyKey, { method: unknown; wrapper: unknown }>();
  return new Proxy(storage, {
    get(target, property, receiver) {
      if (typeof property === 'string' && timed.has(property)) return timed.get(property);
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const known = bound.get(property);
      if (known?.method === value) return known.wrapper;
      const wrapper = (value as (...args: unknown[]) => unknown).bind(target);
      bound.set(property, { method: value, wrapper });
      return wrapper;
    },
  });
}

function timeCalls<T extends object>(store: T, storeName: string, metrics: Metrics): T {
  const wrappers = new Map<string, { method: unknown; wrapper: (...args: unknown[]) => unknown }>();
  const wrap = (method: (...args: unknown[]) => unknown, operation: string) => {
    const labels = { operation };
    return (...args: unknown[]) => {
      const end = metrics.storeQueryLatency.startTimer(labels);
      try {
        const result = method.apply(store, args);
        if (result instanceof Promise) return result.finally(end);
        end();
        return result;
      } catch (error) {
        end();
        throw error;
      }
    };
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const known = wrappers.get(property);
      if (known?.method === value) return known.wrapper;
      const wrapper = wrap(value as (...args: unknown[]) => unknown, `${storeName}.${property}`);
      wrappers.set(property, { method: value, wrapper });
      return wrapper;
    },
  });
}
