import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { PresenceRegistry } from './presence-registry.js';

export interface RedisPresenceOptions {
  /** A connected ioredis client (commands only; not a subscriber). */
  redis: Redis;
  /** PRESENCE_TTL_S: how long a process counts as alive after its last heartbeat. */
  ttlSeconds: number;
  /**
   * A change the registry found by itself rather than through addSocket/removeSocket: a user
   * offline because the process holding their last socket died (swept), or online again because
   * this process re-registered its sockets after Redis had lost or swept them.
   */
  announce: (userId: string, online: boolean) => void;
  /** Reports heartbeat and sweep failures (Redis down); the registry keeps trying. */
  onError?: (error: unknown, during: string) => void;
  /** Defaults to chat:presence. */
  keyPrefix?: string;
}

/*
 * Keys (prefix chat:presence):
 *   user:<userId>        hash   processId -> number of the user's sockets on that process
 *   alive:<processId>    string heartbeat, expires after PRESENCE_TTL_S unless refreshed
 *   users-of:<processId> set    users with sockets on that process (what a sweep must visit)
 *   processes            set    every process that registered and has not been swept
 *   sweeping:<processId> string lock, so that one process sweeps a dead one
 *
 * A user is online when some process whose heartbeat is alive counts a socket of theirs. Scripts
 * touch keys they compute themselves (alive:<pid>), so this needs one Redis, not Redis Cluster.
 */

/** Sums the user's sockets on live processes. KEYS[1] user hash; ARGV[1] alive-key prefix. */
const LIVE_TOTAL = `
local function liveTotal(userKey, alivePrefix)
  local entries = redis.call('HGETALL', userKey)
  local total = 0
  for i = 1, #entries, 2 do
    if redis.call('EXISTS', alivePrefix .. entries[i]) == 1 then
      total = total + tonumber(entries[i + 1])
    end
  end
  return total
end
`;

/** KEYS: user hash, users-of set. ARGV: alive prefix, processId, userId, maxSockets. Returns {accepted, totalBefore}. */
const ADD_SOCKET = `${LIVE_TOTAL}
local before = liveTotal(KEYS[1], ARGV[1])
if before >= tonumber(ARGV[4]) then return {0, before} end
redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
redis.call('SADD', KEYS[2], ARGV[3])
return {1, before}
`;

/** KEYS: user hash, users-of set. ARGV: alive prefix, processId, userId, how many sockets. Returns the live total after. */
const REMOVE_SOCKET = `${LIVE_TOTAL}
local left = redis.call('HINCRBY', KEYS[1], ARGV[2], -tonumber(ARGV[4]))
if left <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[2])
  redis.call('SREM', KEYS[2], ARGV[3])
end
return liveTotal(KEYS[1], ARGV[1])
`;

/** KEYS: user hashes. ARGV[1] alive prefix. Returns 1/0 per user. */
const ONLINE_AMONG = `${LIVE_TOTAL}
local result = {}
for i, key in ipairs(KEYS) do
  result[i] = liveTotal(key, ARGV[1]) > 0 and 1 or 0
end
return result
`;

/** KEYS: user hash. ARGV: alive prefix, dead processId. Drops the dead process's count; returns the live total left. */
const SWEEP_USER = `${LIVE_TOTAL}
redis.call('HDEL', KEYS[1], ARGV[2])
return liveTotal(KEYS[1], ARGV[1])
`;

/** KEYS: user hash, users-of set. ARGV: alive prefix, processId, userId, count. Sets this process's count; returns the live total before. */
const RESTORE_USER = `${LIVE_TOTAL}
local before = liveTotal(KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[3])
return before
`;

type ScriptName = 'addSocket' | 'removeSocket' | 'onlineAmong' | 'sweepUser' | 'restoreUser';
const SCRIPTS: Record<ScriptName, string> = {
  addSocket: ADD_SOCKET,
  removeSocket: REMOVE_SOCKET,
  onlineAmong: ONLINE_AMONG,
  sweepUser: SWEEP_USER,
  restoreUser: RESTORE_USER,
};

/**
 * Presence shared by every server process through Redis, counted per process so that a user
 * with tabs on several processes stays online until the last one closes.
 *
 * Each process refreshes its heartbeat every PRESENCE_TTL_S / 3. A process that dies without
 * cleaning up (SIGKILL, lost machine) stops refreshing; once its heartbeat expires its counts
 * no longer make anyone online, and the next sweep (any process, every PRESENCE_TTL_S / 3)
 * removes them and announces offline each user who has no socket left anywhere. So a dead
 * process's users go offline at most PRESENCE_TTL_S + PRESENCE_TTL_S / 3 after it died.
 *
 * A live process that could not reach Redis for longer than the TTL may have been swept as dead;
 * its next heartbeat notices (it is no longer listed) and registers its sockets again.
 */
export class RedisPresenceRegistry implements PresenceRegistry {
  /** This process, as it appears in Redis. */
  readonly processId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** The sockets counted by this process, so that adding twice or removing an unknown socket changes nothing. */
  private readonly localSockets = new Map<string, Set<string>>();
  /** Sockets closed while Redis could not be told: per user, how many; retried at every heartbeat. */
  private readonly unrecordedRemovals = new Map<string, number>();
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly shas = new Map<ScriptName, string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: RedisPresenceOptions) {
    this.redis = options.redis;
    this.prefix = options.keyPrefix ?? 'chat:presence';
  }

  /** How often heartbeats are refreshed and dead processes swept. */
  get intervalMs(): number {
    return Math.max(500, Math.floor((this.options.ttlSeconds * 1000) / 3));
  }

  /** Registers this process and starts the heartbeat and the sweeper. */
  async start(): Promise<void> {
    await this.heartbeat();
    await this.redis.sadd(this.key('processes'), this.processId);
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async addSocket(userId: string, socketId: string, maxSockets: number): Promise<{ accepted: boolean; cameOnline: boolean }> {
    const sockets = this.localSockets.get(userId) ?? new Set<string>();
    if (sockets.has(socketId)) return { accepted: true, cameOnline: false };
    // Reserve the socket locally first, so a removal racing with this add is not lost.
    sockets.add(socketId);
    this.localSockets.set(userId, sockets);
    try {
      const [accepted, before] = (await this.run('addSocket', [this.userKey(userId), this.key(`users-of:${this.processId}`)], [
        this.alivePrefix(),
        this.processId,
        userId,
        String(maxSockets),
      ])) as [number, number];
      if (accepted !== 1) {
        this.forgetLocally(userId, socketId);
        return { accepted: false, cameOnline: false };
      }
      return { accepted: true, cameOnline: before === 0 };
    } catch (error) {
      this.forgetLocally(userId, socketId);
      throw error;
    }
  }

  async removeSocket(userId: string, socketId: string): Promise<{ wentOffline: boolean }> {
    if (!this.forgetLocally(userId, socketId)) return { wentOffline: false };
    try {
      return { wentOffline: (await this.recordRemoval(userId, 1)) === 0 };
    } catch (error) {
      // Otherwise the user would look online for as long as this process lives.
      this.unrecordedRemovals.set(userId, (this.unrecordedRemovals.get(userId) ?? 0) + 1);
      throw error;
    }
  }

  /** Takes `count` sockets off this process's count for the user; resolves with the live total left. */
  private async recordRemoval(userId: string, count: number): Promise<number> {
    return (await this.run('removeSocket', [this.userKey(userId), this.key(`users-of:${this.processId}`)], [
      this.alivePrefix(),
      this.processId,
      userId,
      String(count),
    ])) as number;
  }

  /** Retries the removals Redis missed; announces the users they leave offline. */
  private async recordMissedRemovals(): Promise<void> {
    for (const [userId, count] of [...this.unrecordedRemovals]) {
      const left = await this.recordRemoval(userId, count);
      this.unrecordedRemovals.delete(userId);
      if (left === 0) this.options.announce(userId, false);
    }
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    const online = new Set<string>();
    const unique = [...new Set(userIds)];
    // In slices, so that a directory of thousands of users does not block Redis in one long script.
    for (let start = 0; start < unique.length; start += 500) {
      const slice = unique.slice(start, start + 500);
      const flags = (await this.run('onlineAmong', slice.map((id) => this.userKey(id)), [this.alivePrefix()])) as number[];
      slice.forEach((userId, index) => {
        if (flags[index] === 1) online.add(userId);
      });
    }
    return online;
  }

  /**
   * Stops the heartbeat and takes this process out of Redis. Users whose last socket was here go
   * offline for everyone (through `announce`).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.localSockets.clear();
    await this.redis.del(this.key(`alive:${this.processId}`));
    await this.sweep(this.processId);
  }

  /** One heartbeat, then one sweep of dead processes. Failures are reported, never thrown. */
  private async tick(): Promise<void> {
    if (this.closed) return;
    try {
      await this.heartbeat();
      await this.recordMissedRemovals();
    } catch (error) {
      this.options.onError?.(error, 'presence heartbeat');
    }
    try {
      await this.sweepDeadProcesses();
    } catch (error) {
      this.options.onError?.(error, 'presence sweep');
    }
  }

  /** Refreshes this process's heartbeat; re-registers its sockets when it had been swept meanwhile. */
  private async heartbeat(): Promise<void> {
    const replies = await this.redis
      .multi()
      .set(this.key(`alive:${this.processId}`), '1', 'EX', this.options.ttlSeconds)
      .sadd(this.key('processes'), this.processId)
      .exec();
    const added = replies?.[1]?.[1];
    if (added === 1 && this.timer !== undefined) await this.restoreLocalSockets();
  }

  private async restoreLocalSockets(): Promise<void> {
    // The counts written here are absolute: removals still owed are settled by them.
    this.unrecordedRemovals.clear();
    for (const [userId, sockets] of [...this.localSockets]) {
      const before = (await this.run('restoreUser', [this.userKey(userId), this.key(`users-of:${this.processId}`)], [
        this.alivePrefix(),
        this.processId,
        userId,
        String(sockets.size),
      ])) as number;
      if (before === 0) this.options.announce(userId, true);
    }
  }

  private async sweepDeadProcesses(): Promise<void> {
    const processes = await this.redis.smembers(this.key('processes'));
    for (const processId of processes) {
      if (processId === this.processId || this.closed) continue;
      if ((await this.redis.exists(this.key(`alive:${processId}`))) === 1) continue;
      // One sweeper per dead process; the lock outlives a slow sweep and then lapses.
      const locked = await this.redis.set(this.key(`sweeping:${processId}`), this.processId, 'EX', Math.max(10, this.options.ttlSeconds), 'NX');
      if (locked !== 'OK') continue;
      await this.sweep(processId);
    }
  }

  /** Removes a process's counts and forgets it; reports users left with no socket on any live process. */
  private async sweep(processId: string): Promise<void> {
    const usersKey = this.key(`users-of:${processId}`);
    for (;;) {
      const userIds = await this.redis.spop(usersKey, 200);
      if (userIds.length === 0) break;
      for (const userId of userIds) {
        const left = (await this.run('sweepUser', [this.userKey(userId)], [this.alivePrefix(), processId])) as number;
        if (left === 0) this.options.announce(userId, false);
      }
    }
    await this.redis.multi().srem(this.key('processes'), processId).del(usersKey).exec();
  }

  private forgetLocally(userId: string, socketId: string): boolean {
    const sockets = this.localSockets.get(userId);
    if (!sockets?.delete(socketId)) return false;
    if (sockets.size === 0) this.localSockets.delete(userId);
    return true;
  }

  /** EVALSHA, loading the script on first use or after a Redis restart. */
  private async run(name: ScriptName, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.shas.get(name);
    if (sha) {
      try {
        return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      }
    }
    sha = (await this.redis.script('LOAD', SCRIPTS[name])) as string;
    this.shas.set(name, sha);
    return this.redis.evalsha(sha, keys.length, ...keys, ...args);
  }

  private key(suffix: string): string {
    return `${this.prefix}:${suffix}`;
  }

  private userKey(userId: string): string {
    return this.key(`user:${userId}`);
  }

  private alivePrefix(): string {
    return this.key('alive:');
  }
}
