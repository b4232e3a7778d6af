import bcrypt from 'bcrypt';

/** A throwaway password whose hash stands in when there is no real hash to compare against. */
const DUMMY_PASSWORD = 'no account has this password';

/** bcrypt hashing at the configured cost, with an equal-time answer when the account does not exist. */
export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  /**
   * True when `password` matches `hash`. With no hash (no such user, or a single-sign-on
   * account without a password) it still spends one bcrypt comparison, then answers false,
   * so the response time does not tell whether the username exists.
   */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash === null) {
      await bcrypt.compare(password, await this.standInHash());
      return false;
    }
    return bcrypt.compare(password, hash);
  }

  private standInHash(): Promise<string> {
    this.dummyHash ??= bcrypt.hash(DUMMY_PASSWORD, this.cost);
    return this.dummyHash;
  }
}
