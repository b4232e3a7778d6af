import { Redis } from 'ioredis';
import { redisReady } from './redis-ready.js';
import type { MemberRecord } from '../storage.js';

/**
 * What one process tells the others about the memory the MongoDB adapter keeps
 * (mongo-member-lists.ts, mongo-append-batches.ts):
 * - `forget`: the chat's membership changed (added, removed, role or hidden set);
 * - `clear`: memberships changed in ways not worth tracing (a user deleted);
 * - `moved`: a member's delivered/read position moved; `member` is the document as it now is;
 * - `unhidden`: a message was stored in the chat, which un-hid it for every member;
 * - `seqs`: messages up to `seq` are stored in each chat named (a hint for the seq claim: a
 *   process that writes there next starts past it instead of colliding on the unique index first).
 */
export type CacheEvent =
  | { kind: 'forget'; chatId: string }
  | { kind: 'clear' }
  | { kind: 'moved'; member: MemberRecord }
  | { kind: 'unhidden'; chatId: string }
  | { kind: 'seqs'; seqs: Array<[chatId: string, seq: number]> };

/** Carries cache events to the other processes on the same database; a process never hears its own. */
export interface CacheBus {
  publish(event: CacheEvent): void;
  /** `event` for every event of another process; `lost` when events may have been missed (reconnect). */
  listen(handlers: { event: (event: CacheEvent) => void; lost: () => void }): void;
  close(): Promise<void>;
}

/** No other process to tell: a deployment without Redis is one process (see docs/SCALING.md). */
export class LocalCacheBus implements CacheBus {
  publish(): void {}
  listen(): void {}
  async close(): Promise<void> {}
}

/**
 * Redis pub/sub, one channel per database. Events published while a process was cut off from
 * Redis are lost to it: on every (re)connection of the subscriber it is told `lost`, and drops
 * everything it keeps. An event published while Redis is down is dropped (publishing never
 * blocks a write); the processes that missed it reconnect, and are told `lost` then.
 */
export class RedisCacheBus implements CacheBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly origin = `${process.pid}:${Math.random().toString(36).slice(2)}`;

  constructor(
    redisUrl: string,
    private readonly channel: string,
  ) {
    const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };
    this.publisher = new Redis(redisUrl, { ...options, connectionName: 'chat-store-cache-pub' });
    this.subscriber = new Redis(redisUrl, { ...options, enableOfflineQueue: true, connectionName: 'chat-store-cache-sub' });
    for (const client of [this.publisher, this.subscriber]) client.on('error', () => {});
  }

  publish(event: CacheEvent): void {
    if (this.publisher.status !== 'ready') return;
    this.publisher.publish(this.channel, JSON.stringify({ origin: this.origin, event })).catch(() => {});
  }

  listen(handlers: { event: (event: CacheEvent) => void; lost: () => void }): void {
    this.subscriber.on('ready', () => handlers.lost());
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        const { origin, event } = JSON.parse(text) as { origin: string; event: CacheEvent };
        if (origin !== this.origin) handlers.event(event);
      } catch {
        handlers.lost();
      }
    });
    this.subscriber.subscribe(this.channel).catch(() => handlers.lost());
  }

  /** Waits until both connections are up (a misconfigured REDIS_URL fails start-up, as elsewhere). */
  ready(timeoutMs: number): Promise<void> {
    return redisReady([this.publisher, this.subscriber], timeoutMs, 'the store cache');
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
