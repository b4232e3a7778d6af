import type { Logger } from 'pino';
import type { AuthTokens, LoginRequest, RefreshRequest, RegisterRequest } from '../../../shared/src/schemas/accounts.js';
import type { SelfUser } from '../../../shared/src/schemas/users.js';
import { AppError } from '../app-error.js';
import type { Actor } from '../live-updates.js';
import type { Origin } from './origin.js';
import { ConflictError } from '../storage/errors.js';
import { newId } from '../storage/ids.js';
import type { Storage, UserRecord } from '../storage/storage.js';
import type { AccessTokens } from './access-tokens.js';
import { assertAccountUsable } from './account-status.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import { ReusedRefreshTokenError, type RefreshTokens } from './refresh-tokens.js';
import { toSelfUser } from './user-views.js';

/** What starting a session needs: used by login, refresh and single sign-on. */
export interface SessionDeps {
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
}

type AccountDeps = SessionDeps & { storage: Storage; logger: Logger };

/**
 * Creates an account. The password is the caller address's bcrypt work (the table binds it).
 * @throws AppError 409 when the username is taken in any letter case;
 *   429 / 503 when the address's bcrypt rate limit is spent or the bcrypt queue is full.
 */
export async function register(deps: AccountDeps & { passwords: PasswordHasher }, _origin: Origin, request: RegisterRequest): Promise<SelfUser> {
  const passwordHash = await deps.passwords.hash(request.password);
  let user: UserRecord;
  try {
    user = await deps.storage.users.create({
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
  deps.logger.info({ userId: user.id }, 'user registered');
  return toSelfUser(user);
}

/**
 * Checks a username and password and starts a session.
 * @throws AppError 429 when throttled, 401 for a wrong username or password (the same answer
 *   for both), 403 for a disabled or banned account.
 */
export async function logIn(
  deps: AccountDeps & { passwords: PasswordHasher; loginThrottle: LoginThrottle },
  origin: Origin,
  { username, password }: LoginRequest,
): Promise<AuthTokens> {
  await deps.loginThrottle.beginAttempt(username, origin.ip);
  const user = await deps.storage.users.byUsername(username);
  let passwordMatches: boolean;
  try {
    passwordMatches = await deps.passwords.verify(password, user?.passwordHash ?? null);
  } catch (error) {
    // Refused before the password was checked (bcrypt rate limit, full queue): not a failed attempt.
    await deps.loginThrottle.cancelAttempt(username, origin.ip);
    throw error;
  }
  if (!user || !passwordMatches) {
    deps.logger.info({ ip: origin.ip }, 'sign-in refused: wrong username or password');
    throw new AppError('unauthenticated', 'Wrong username or password');
  }
  assertAccountUsable(user);
  await deps.loginThrottle.succeeded(username, origin.ip);
  deps.logger.info({ userId: user.id }, 'signed in');
  return startSession(deps, user);
}

/**
 * Spends a refresh token (from the body, else the cookie) and issues its successor with a new access token.
 * @throws AppError 401 for a missing, unknown, expired, revoked or reused token (reuse
 *   revokes the whole session), 403 when the account has since been disabled or banned.
 */
export async function refreshSession(deps: AccountDeps, origin: Origin, request: RefreshRequest): Promise<AuthTokens> {
  const refreshToken = request.refreshToken ?? origin.refreshCookie;
  if (!refreshToken) throw new AppError('unauthenticated', 'No refresh token');
  let spent;
  try {
    spent = await deps.refreshTokens.spend(refreshToken);
  } catch (error) {
    if (error instanceof ReusedRefreshTokenError) {
      deps.logger.warn({ userId: error.record.userId, familyId: error.record.familyId }, 'refresh token reused: session revoked');
    }
    throw error;
  }
  const user = await deps.storage.users.byId(spent.userId);
  try {
    if (!user) throw new AppError('unauthenticated', 'This account no longer exists');
    assertAccountUsable(user);
  } catch (error) {
    await deps.refreshTokens.revokeFamily(spent.familyId);
    throw error;
  }
  return startSession(deps, user, spent.familyId);
}

/** Ends the session the refresh token (from the body, else the cookie) belongs to. Idempotent: no token or an unknown one is fine. */
export async function logOut(deps: AccountDeps, origin: Origin, request: RefreshRequest): Promise<null> {
  const refreshToken = request.refreshToken ?? origin.refreshCookie;
  if (!refreshToken) return null;
  const record = await deps.refreshTokens.revokeSession(refreshToken);
  if (record) deps.logger.info({ userId: record.userId }, 'signed out');
  return null;
}

/** Issues an access token and a refresh token (a new family unless one is given). */
export async function startSession(deps: SessionDeps, user: UserRecord, familyId: string = newId()): Promise<AuthTokens> {
  const [accessToken, refresh] = await Promise.all([deps.accessTokens.issue(user, familyId), deps.refreshTokens.issue(user.id, familyId)]);
  return {
    accessToken,
    expiresIn: deps.accessTokens.ttlSeconds,
    refreshToken: refresh.token,
    user: toSelfUser(user),
  };
}

/** The signed-in user's own profile. */
export async function ownProfile(deps: { storage: Storage }, actor: Actor): Promise<SelfUser> {
  const user = await deps.storage.users.byId(actor.userId);
  if (!user) throw new AppError('unauthenticated', 'Sign in first');
  return toSelfUser(user);
}
