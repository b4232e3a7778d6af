import type { Logger } from 'pino';
import type { AuthTokens } from '../../../shared/src/schemas/accounts.js';
import type { SsoSignInRequest } from '../../../shared/src/schemas/sso.js';
import { startSession, type SessionDeps } from '../accounts/account-use-cases.js';
import { assertAccountUsable } from '../accounts/account-status.js';
import { toPublicUser } from '../accounts/user-views.js';
import type { AuditTrail } from '../admin/audit-trail.js';
import type { LiveUpdates } from '../live-updates.js';
import type { Origin } from '../accounts/origin.js';
import { AppError } from '../app-error.js';
import { ConflictError } from '../storage/errors.js';
import type { Storage, UserPatch, UserRecord } from '../storage/storage.js';
import { derivedUsername, profileFromClaims, type SsoProfile } from './sso-profile.js';
import type { SsoReplayGuard } from './sso-token-replay.js';
import type { SsoTokenVerifier } from './sso-token-verifier.js';

export interface SsoSignInDeps extends SessionDeps {
  /** Checks the host's tokens, and spends each once; null when single sign-on is not configured. */
  sso: { verifier: SsoTokenVerifier; replay: SsoReplayGuard } | null;
  storage: Storage;
  audit: AuditTrail;
  /** Tells connected clients when a sign-in refreshed someone's public profile. */
  live: Pick<LiveUpdates, 'toEveryone'>;
  logger: Logger;
}

/**
 * Single sign-on from the host site: its signed JWT in, our tokens out. The token's `sub`
 * always maps to the same account: the first sign-in provisions it from the claims, later
 * ones refresh its names, email and picture from them (never its username).
 * The token is spent once it has passed verification and its claims are usable, before the
 * account is looked at: whatever happens next, it cannot be presented again.
 * @throws AppError 404 when SSO is off; 400 for a malformed request or unusable claims; 401 for
 *   a token that fails verification or was used before; 403 for a disabled or banned account; 409 naming
 *   `username` when a new account's username belongs to someone else.
 */
export async function signInWithSso(deps: SsoSignInDeps, _origin: Origin, { token }: SsoSignInRequest): Promise<AuthTokens> {
  const sso = configuredSso(deps);
  const claims = await sso.verifier.verify(token);
  const profile = profileFromClaims(claims);
  await sso.replay.spend(token, claims);

  const known = await deps.storage.users.byExternalId(profile.externalId);
  const user = known ? await refreshProfile(deps, known, profile) : await provision(deps, profile);
  assertAccountUsable(user);
  deps.logger.info({ userId: user.id }, 'signed in through SSO');
  return startSession(deps, user);
}

/** @throws AppError 404 when SSO_SECRET and SSO_PUBLIC_KEY are both unset. */
export function configuredSso(deps: Pick<SsoSignInDeps, 'sso'>): NonNullable<SsoSignInDeps['sso']> {
  if (!deps.sso) throw new AppError('not_found', 'Single sign-on is not configured on this server');
  return deps.sso;
}

async function provision(deps: SsoSignInDeps, profile: SsoProfile): Promise<UserRecord> {
  const username = profile.username ?? derivedUsername(profile);
  let user: UserRecord;
  try {
    user = await deps.storage.users.create({
      username,
      externalId: profile.externalId,
      passwordHash: null,
      firstName: profile.firstName ?? username,
      lastName: profile.lastName ?? '',
      email: profile.email ?? '',
      gender: 'unspecified',
      avatarUrl: profile.avatarUrl,
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    if (error.field === 'externalId') {
      // The same host user signing in twice at once: the other request created the account.
      const winner = await deps.storage.users.byExternalId(profile.externalId);
      if (winner) return winner;
    }
    const claim = profile.usernameClaim ?? 'sub';
    throw new AppError(
      'conflict',
      `The username "${username}" (from the SSO token's "${claim}" claim) belongs to another account`,
      { username: 'is already taken by another account' },
    );
  }
  await deps.audit.record({ via: 'sso' }, 'user.sso_provision', user.id, { username });
  deps.logger.info({ userId: user.id }, 'provisioned a user from SSO claims');
  return user;
}

async function refreshProfile(deps: SsoSignInDeps, user: UserRecord, profile: SsoProfile): Promise<UserRecord> {
  const patch: UserPatch = {};
  if (profile.firstName !== null && profile.firstName !== user.firstName) patch.firstName = profile.firstName;
  if (profile.lastName !== null && profile.lastName !== user.lastName) patch.lastName = profile.lastName;
  if (profile.email !== null && profile.email !== user.email) patch.email = profile.email;
  if (profile.avatarUrl !== null && profile.avatarUrl !== user.avatarUrl) patch.avatarUrl = profile.avatarUrl;
  if (Object.keys(patch).length === 0) return user;
  const updated = await deps.storage.users.update(user.id, patch);
  if (updated.status === 'active') deps.live.toEveryone('user:updated', toPublicUser(updated));
  return updated;
}
