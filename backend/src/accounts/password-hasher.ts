import bcrypt from 'bcrypt';
import { ConcurrencyLimit } from './concurrency-limit.js';

/** A throwaway password whose hash stands in when there is no real hash to compare against. */
const DUMMY_PASSWORD = 'no account has this password';

/**
 * bcrypt runs on libuv's thread pool (4 threads by default), which token signing, file I/O and
 * DNS share. A burst of logins would occupy every thread and stall those; at most two bcrypt
 * computations run at once, process-wide, and the rest queue.
 */
const bcryptSlots = new ConcurrencyLimit(2);

/** bcrypt hashing at the configured cost, with an equal-time answer when the account does not exist. */
export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcryptSlots.run(() => bcrypt.hash(password, this.cost));
  }

  /**
   * True when `password` matches `hash`. With no hash (no such user, or a single-sign-on
   * account without a password) it still spends one bcrypt comparison, then answers false,
   * so the response time does not tell whether the username exists.
   */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash === null) {
      const standIn = await this.standInHash();
      await bcryptSlots.run(() => bcrypt.compare(password, standIn));
      return false;
    }
    return bcryptSlots.run(() => bcrypt.compare(password, hash));
  }

  private standInHash(): Promise<string> {
    this.dummyHash ??= this.hash(DUMMY_PASSWORD);
    return this.dummyHash;
  }
}
