import type { Logger } from 'pino';
import type { AuthTokens } from '../../../shared/src/schemas/accounts.js';
import type { SelfUser } from '../../../shared/src/schemas/users.js';
import { loginSchema, registerSchema } from '../../../shared/src/schemas/accounts.js';
import { AppError } from '../app-error.js';
import type { Config } from '../config.js';
import { ConflictError } from '../storage/errors.js';
import type { Storage, UserRecord } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import type { AccessTokens } from './access-tokens.js';
import { assertAccountUsable } from './account-status.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { RefreshTokens, ReusedRefreshTokenError } from './refresh-tokens.js';
import { toSelfUser } from './user-views.js';

export interface AccountServiceDeps {
  storage: Storage;
  accessTokens: AccessTokens;
  passwords: PasswordHasher;
  refreshTokens: RefreshTokens;
  loginThrottle: LoginThrottle;
  logger: Logger;
}

/** Where a sign-in attempt comes from; the address feeds the throttle. */
export interface AttemptOrigin {
  ip: string;
}

/**
 * The account use cases: register, log in, refresh the session, log out. Every input arrives
 * untrusted and is parsed here against the shared schemas, so REST and sockets get the same rules.
 */
export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  /**
   * @throws AppError 400 with per-field messages; 409 when the username is taken in any letter case;
   *   429 / 503 when the address's bcrypt rate limit is spent or the bcrypt queue is full.
   */
  async register(input: unknown, origin: AttemptOrigin): Promise<SelfUser> {
    const request = parseInput(registerSchema, input);
    const passwordHash = await this.deps.passwords.as({ key: `ip:${origin.ip}` }).hash(request.password);
    let user: UserRecord;
    try {
      user = await this.deps.storage.users.create({
        username: request.username,
        email: request.email,
        firstName: request.firstName,
        lastName: request.lastName,
        gender: request.gender,
        passwordHash,
      });
    } catch (error) {
      if (error instanceof ConflictError && error.field === 'username') {
        throw new AppError('conflict', 'That username is already taken', { username: 'is already taken' });
      }
      throw error;
    }
    this.deps.logger.info({ userId: user.id }, 'user registered');
    return toSelfUser(user);
  }

  /**
   * Checks a username and password and starts a session.
   * @throws AppError 400 for malformed credentials, 429 when throttled, 401 for a wrong
   *   username or password (the same answer for both), 403 for a disabled or banned account.
   */
  async logIn(credentials: unknown, origin: AttemptOrigin): Promise<AuthTokens> {
    const { username, password } = parseInput(loginSchema, credentials);
    await this.deps.loginThrottle.beginAttempt(username, origin.ip);
    const user = await this.deps.storage.users.byUsername(username);
    let passwordMatches: boolean;
    try {
      passwordMatches = await this.deps.passwords.as({ key: `ip:${origin.ip}`, priority: true }).verify(password, user?.passwordHash ?? null);
    } catch (error) {
      // Refused before the password was checked (bcrypt rate limit, full queue): not a failed attempt.
      await this.deps.loginThrottle.cancelAttempt(username, origin.ip);
      throw error;
    }
    if (!user || !passwordMatches) {
      this.deps.logger.info({ ip: origin.ip }, 'sign-in refused: wrong username or password');
      throw new AppError('unauthenticated', 'Wrong username or password');
    }
    assertAccountUsable(user);
    await this.deps.loginThrottle.succeeded(username, origin.ip);
    this.deps.logger.info({ userId: user.id }, 'signed in');
    return this.startSession(user);
  }

  /**
   * Spends a refresh token and issues its successor with a new access token.
   * @throws AppError 401 for a missing, unknown, expired, revoked or reused token (reuse
   *   revokes the whole session), 403 when the account has since been disabled or banned.
   */
  async refresh(refreshToken: string | undefined): Promise<AuthTokens> {
    if (!refreshToken) throw new AppError('unauthenticated', 'No refresh token');
    let spent;
    try {
      spent = await this.deps.refreshTokens.spend(refreshToken);
    } catch (error) {
      if (error instanceof ReusedRefreshTokenError) {
        this.deps.logger.warn({ userId: error.record.userId, familyId: error.record.familyId }, 'refresh token reused: session revoked');
      }
      throw error;
    }
    const user = await this.deps.storage.users.byId(spent.userId);
    try {
      if (!user) throw new AppError('unauthenticated', 'This account no longer exists');
      assertAccountUsable(user);
    } catch (error) {
      await this.deps.refreshTokens.revokeFamily(spent.familyId);
      throw error;
    }
    return this.startSession(user, spent.familyId);
  }

  /** Ends the session the refresh token belongs to. Idempotent: no token or an unknown one is fine. */
  async logOut(refreshToken: string | undefined): Promise<void> {
    if (!refreshToken) return;
    const record = await this.deps.refreshTokens.revokeSession(refreshToken);
    if (record) this.deps.logger.info({ userId: record.userId }, 'signed out');
  }

  /** Issues an access token and a refresh token (a new family unless one is given). Used by login, refresh and single sign-on. */
  async startSession(user: UserRecord, familyId?: string): Promise<AuthTokens> {
    const [accessToken, refresh] = await Promise.all([
      this.deps.accessTokens.issue(user),
      this.deps.refreshTokens.issue(user.id, familyId),
    ]);
    return {
      accessToken,
      expiresIn: this.deps.accessTokens.ttlSeconds,
      refreshToken: refresh.token,
      user: toSelfUser(user),
    };
  }
}

/** Builds the service and its collaborators from the configuration. */
export function createAccountService(deps: {
  config: Pick<Config, 'BCRYPT_COST' | 'REFRESH_TOKEN_TTL_S' | 'LOGIN_ATTEMPTS_PER_USERNAME' | 'LOGIN_ATTEMPTS_PER_IP'>;
  storage: Storage;
  accessTokens: AccessTokens;
  logger: Logger;
  /** Shares the sign-in throttle between processes (an ioredis client). */
  redisClient?: unknown;
  /** The server's bcrypt queue and rate limits; without it, a queue of this service's own. */
  passwordHasher?: PasswordHasher;
}): AccountService {
  const { config } = deps;
  return new AccountService({
    storage: deps.storage,
    accessTokens: deps.accessTokens,
    logger: deps.logger,
    passwords: deps.passwordHasher ?? new PasswordHasher(config.BCRYPT_COST),
    refreshTokens: new RefreshTokens(deps.storage.refreshTokens, config.REFRESH_TOKEN_TTL_S),
    loginThrottle: createLoginThrottle({
      attemptsPerUsername: config.LOGIN_ATTEMPTS_PER_USERNAME,
      attemptsPerIp: config.LOGIN_ATTEMPTS_PER_IP,
      redisClient: deps.redisClient,
    }),
  });
}
