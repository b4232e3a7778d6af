import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { authenticateAccessToken } from '../accounts/authenticate-access-token.js';
import { AppError } from '../app-error.js';
import type { Storage } from '../storage/storage.js';
import type { AdminActor } from './admin-actor.js';

export interface AdminAuthorizationDeps {
  accessTokens: AccessTokens;
  storage: Storage;
  /** ADMIN_API_KEY; without it only administrators' access tokens are accepted. */
  apiKey: string | undefined;
}

/**
 * Decides whether a bearer credential may use the admin API: the configured API key
 * (compared in constant time), or the access token of an active user whose role is admin.
 */
export class AdminAuthorization {
  private readonly apiKeyDigest: Buffer | null;

  constructor(private readonly deps: AdminAuthorizationDeps) {
    this.apiKeyDigest = deps.apiKey ? digest(deps.apiKey) : null;
  }

  /**
   * @throws AppError 401 without a credential or with one that is neither the key nor a valid
   *   access token; 403 for a valid token of a user who is not an administrator.
   */
  async authorize(bearer: string | undefined): Promise<AdminActor> {
    if (!bearer) throw new AppError('unauthenticated', 'Sign in as an administrator or present the admin API key');
    if (this.isApiKey(bearer)) return { via: 'api-key' };
    let user;
    try {
      user = await authenticateAccessToken(this.deps, bearer);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthenticated') {
        throw new AppError('unauthenticated', 'Invalid admin credential');
      }
      throw error;
    }
    if (user.role !== 'admin') throw new AppError('forbidden', 'Administrators only');
    return { via: 'user', userId: user.id };
  }

  /** Hashing first gives both sides the same length, so the comparison time says nothing about the key. */
  private isApiKey(candidate: string): boolean {
    if (!this.apiKeyDigest) return false;
    return timingSafeEqual(digest(candidate), this.apiKeyDigest);
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
