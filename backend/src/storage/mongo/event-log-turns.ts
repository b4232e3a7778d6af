import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisReady } from './redis-ready.js';

/** One process's turn at writing the webhook event log. */
export interface EventLogTurn {
  /** The newest position the last writer wrote, when it is known and recent; null otherwise. */
  readonly head: number | null;
  /** Ends the turn. `written`: the newest position this process wrote in it, if any. */
  end(written: number | null): Promise<void>;
}

/**
 * Whose turn it is to write the webhook event log, across the processes of one database.
 *
 * Positions are taken by inserting under the unique `_id` (mongo-event-log.ts): when two processes
 * write at once, one insert stops at the other's positions and its writer reads the log's head
 * again, which FerretDB 1.x answers by reading the whole log. Taking turns, and handing the head
 * from one writer to the next, lets each write land at once. The unique index still decides:
 * a turn that lapsed, or a head that is stale, costs a collision, never a wrong position.
 */
export interface EventLogTurns {
  take(): Promise<EventLogTurn>;
  close(): Promise<void>;
}

/** One process: nobody to take turns with. */
export class SingleProcessTurns implements EventLogTurns {
  take(): Promise<EventLogTurn> {
    return Promise.resolve(NO_TURN);
  }

  async close(): Promise<void> {}
}

const NO_TURN: EventLogTurn = { head: null, end: () => Promise.resolve() };

/** A turn lapses after this (a writer that stalls or dies does not hold the others up for longer). */
const TURN_TTL_MS = 5_000;
/** How long a writer waits for its turn at most; then it writes without one, as without Redis. */
const MAX_TURN_WAIT_MS = 2_000;
/** How often a waiting writer asks again (a turn is one insert, tens of milliseconds). */
const TURN_POLL_MS = 5;
/** How long a handed-over head is trusted: as long as a process trusts the head it wrote itself. */
export const HANDED_HEAD_TTL_MS = 5_000;

/**
 * Ends a turn: raises the handed-over head to the position written (never lowers it: positions
 * only grow, and a lapsed turn's writer may end after the next one), then gives the turn up if it
 * is still this writer's.
 */
const END_TURN = `
if ARGV[2] ~= '' then
  local head = tonumber(redis.call('GET', KEYS[2]) or '0')
  if tonumber(ARGV[2]) > head then redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

/**
 * Turns through Redis: `SET NX PX` of a per-database key, the usual lock of a single Redis
 * (written here rather than taken from Redlock, whose point is several independent Redis servers,
 * and which would still need the head handed over beside it). When Redis does not answer, the
 * writer goes ahead without a turn: the log never waits for Redis.
 */
export class RedisEventLogTurns implements EventLogTurns {
  private readonly redis: Redis;
  private readonly turnKey: string;
  private readonly headKey: string;

  constructor(redisUrl: string, database: string) {
    this.redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
      connectionName: 'chat-store-event-log',
    });
    this.redis.on('error', () => {});
    this.turnKey = `chat-store-event-log:${database}:turn`;
    this.headKey = `chat-store-event-log:${database}:head`;
  }

  async take(): Promise<EventLogTurn> {
    const token = randomUUID();
    const deadline = Date.now() + MAX_TURN_WAIT_MS;
    for (;;) {
      let replies: Array<[error: Error | null, result: unknown]> | null;
      try {
        replies = await this.redis.multi().set(this.turnKey, token, 'PX', TURN_TTL_MS, 'NX').get(this.headKey).exec();
      } catch {
        return NO_TURN;
      }
      if (replies?.[0]?.[1] === 'OK') {
        const handed = replies[1]?.[1];
        return { head: typeof handed === 'string' ? Number(handed) : null, end: (written) => this.end(token, written) };
      }
      if (Date.now() >= deadline) return NO_TURN;
      await new Promise((resolve) => setTimeout(resolve, TURN_POLL_MS));
    }
  }

  private async end(token: string, written: number | null): Promise<void> {
    await this.redis.eval(END_TURN, 2, this.turnKey, this.headKey, token, written === null ? '' : String(written), String(HANDED_HEAD_TTL_MS)).catch(() => undefined);
  }

  /** Waits until the connection is up (a misconfigured REDIS_URL fails start-up, as elsewhere). */
  ready(timeoutMs: number): Promise<void> {
    return redisReady([this.redis], timeoutMs, 'the event log');
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
