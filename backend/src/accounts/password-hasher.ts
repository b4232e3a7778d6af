import bcrypt from 'bcrypt';
import { AppError } from '../app-error.js';
import { FairScheduler, SchedulerFullError } from './fair-scheduler.js';

/** A throwaway password whose hash stands in when there is no real hash to compare against. */
const DUMMY_PASSWORD = 'no account has this password';

/**
 * Who asks for bcrypt work: `user:<id>` for signed-in paths, `ip:<address>` for anonymous ones
 * (register, login), `admin:<user id>` / `admin:api-key` for the admin API. Sign-ins are priority work.
 */
export interface PasswordRequester {
  key: string;
  priority?: boolean;
  /**
   * Administrators: no rate limit and no queue bounds (a bulk import hashes up to 1000
   * passwords in one request), but still one round-robin turn at a time like everyone else.
   */
  trusted?: boolean;
}

/** Takes one bcrypt operation from the requester's rate limit; throws AppError('rate_limited') when it is spent. */
export interface PasswordWorkLimits {
  take(requesterKey: string): Promise<void>;
}

export interface BcryptQueueLimits {
  /** bcrypt operations one requester may have waiting. */
  perRequester: number;
  /** bcrypt operations waiting in the whole process. */
  total: number;
}

/** Work without a requester (start-up: the first administrator) is filed under this key, trusted. */
const SERVER_KEY = 'server';
/** bcrypt computations running at once. */
const SLOTS = 2;
const DEFAULT_QUEUE: BcryptQueueLimits = { perRequester: 4, total: 100 };

export interface PasswordHasherOptions {
  /** Per-requester rate limits; without them bound hashers are only queued fairly. */
  limits?: PasswordWorkLimits;
  queue?: BcryptQueueLimits;
}

/** What a hasher and every requester-bound copy of it share. */
interface HasherCore {
  cost: number;
  limits: PasswordWorkLimits | null;
  slots: FairScheduler;
  dummyHash: Promise<string> | null;
}

/**
 * bcrypt hashing at the configured cost, with an equal-time answer when the account does not
 * exist.
 *
 * bcrypt runs on libuv's thread pool (4 threads by default), which token signing, file I/O and
 * DNS share: at most two bcrypt computations run at once, and the rest wait in a fair queue
 * (one round-robin turn per requester, sign-ins first) bounded per requester and in total, so
 * one client's flood can neither grow it without end nor hold up anyone else. The server makes
 * one hasher, so the queue is process-wide; a copy bound to a requester (`as`) first takes
 * from that requester's rate limit, then waits for its turn. An unbound one (start-up work)
 * only waits.
 */
export class PasswordHasher {
  private readonly core: HasherCore;
  private readonly requester: PasswordRequester | null;

  constructor(cost: number, options: PasswordHasherOptions = {}, bound?: { core: HasherCore; requester: PasswordRequester }) {
    const queue = options.queue ?? DEFAULT_QUEUE;
    this.core = bound?.core ?? {
      cost,
      limits: options.limits ?? null,
      slots: new FairScheduler({ slots: SLOTS, maxWaitingPerKey: queue.perRequester, maxWaiting: queue.total }),
      dummyHash: null,
    };
    this.requester = bound?.requester ?? null;
  }

  /** The same hasher (same queue), with its work rate-limited and queued as `requester`'s. */
  as(requester: PasswordRequester): PasswordHasher {
    return new PasswordHasher(this.core.cost, {}, { core: this.core, requester });
  }

  /** @throws AppError rate_limited (the requester's limit is spent) or busy (the queue is full). */
  async hash(password: string): Promise<string> {
    return this.schedule(() => bcrypt.hash(password, this.core.cost));
  }

  /**
   * True when `password` matches `hash`. With no hash (no such user, or a single-sign-on
   * account without a password) it still spends one bcrypt comparison, then answers false,
   * so the response time does not tell whether the username exists.
   * @throws AppError rate_limited or busy, as `hash`.
   */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash === null) {
      const standIn = await this.standInHash().catch((error: unknown) => {
        throw busyOr(error);
      });
      await this.schedule(() => bcrypt.compare(password, standIn));
      return false;
    }
    return this.schedule(() => bcrypt.compare(password, hash));
  }

  private async schedule<T>(task: () => Promise<T>): Promise<T> {
    const key = this.requester?.key ?? SERVER_KEY;
    const trusted = !this.requester || this.requester.trusted === true;
    if (!trusted && this.core.limits) await this.core.limits.take(key);
    try {
      return await this.core.slots.run(key, task, { priority: this.requester?.priority === true, unbounded: trusted });
    } catch (error) {
      throw busyOr(error);
    }
  }

  /** Made once per hasher, as start-up work (no requester's limit, no requester's turn); made again if that failed. */
  private standInHash(): Promise<string> {
    this.core.dummyHash ??= this.core.slots.run(SERVER_KEY, () => bcrypt.hash(DUMMY_PASSWORD, this.core.cost)).catch((error: unknown) => {
      this.core.dummyHash = null;
      throw error;
    });
    return this.core.dummyHash;
  }
}

/** A full queue becomes AppError('busy') (503 with Retry-After); anything else passes unchanged. */
function busyOr(error: unknown): unknown {
  if (!(error instanceof SchedulerFullError)) return error;
  const retryAfterS = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  return new AppError('busy', `The server is busy checking passwords; try again in ${retryAfterS} s`, undefined, retryAfterS);
}
