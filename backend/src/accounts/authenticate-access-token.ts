import { AppError } from '../app-error.js';
import type { Storage, UserRecord } from '../storage/storage.js';
import type { AccessTokens } from './access-tokens.js';
import { assertAccountUsable } from './account-status.js';

/**
 * The user an access token speaks for, read fresh from storage so that a ban or a deletion
 * takes effect before the token expires. Shared by the REST middleware and the socket handshake.
 * @throws AppError 401 for a bad, expired or orphaned token; 403 for a disabled or banned user.
 */
export async function authenticateAccessToken(
  deps: { accessTokens: AccessTokens; storage: Storage },
  token: string,
): Promise<UserRecord> {
  return (await authenticateSession(deps, token)).user;
}

/** A signed-in user and the session they are in. */
export interface AuthenticatedSession {
  user: UserRecord;
  /** The session (refresh-token family) the token was issued in; absent for tokens issued before sessions were named. */
  sessionId?: string;
}

/** As `authenticateAccessToken`, with the session the token belongs to. */
export async function authenticateSession(deps: { accessTokens: AccessTokens; storage: Storage }, token: string): Promise<AuthenticatedSession> {
  const claims = await deps.accessTokens.verify(token);
  const user = await deps.storage.users.byId(claims.userId);
  if (!user) throw new AppError('unauthenticated', 'This account no longer exists');
  assertAccountUsable(user);
  return claims.sessionId === undefined ? { user } : { user, sessionId: claims.sessionId };
}
