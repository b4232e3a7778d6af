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
  const claims = await deps.accessTokens.verify(token);
  const user = await deps.storage.users.byId(claims.userId);
  if (!user) throw new AppError('unauthenticated', 'This account no longer exists');
  assertAccountUsable(user);
  return user;
}
