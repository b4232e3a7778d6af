import { jwtVerify, SignJWT } from 'jose';
import type { UnreadStreamToken } from '../../../shared/src/schemas/unread.js';
import { AppError } from '../app-error.js';
import type { Actor } from '../live-updates.js';

const ISSUER = 'chat-service';
const AUDIENCE = 'chat-service:unread-stream';

/**
 * Tokens for the unread stream, for EventSource, which cannot send an Authorization header and
 * so puts the token in the URL: good for that stream only (their own audience), and short-lived,
 * so one found in a log or a history is of little use.
 */
export class UnreadStreamTokens {
  private readonly key: Uint8Array;

  constructor(secret: string, readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string): Promise<UnreadStreamToken> {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
    return { token, expiresInS: this.ttlSeconds };
  }

  /** @throws AppError('unauthenticated') for anything but a valid, unexpired stream token. Returns the user id. */
  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
      if (typeof payload.sub !== 'string') throw new Error('no subject');
      return payload.sub;
    } catch {
      throw new AppError('unauthenticated', 'Invalid or expired stream token');
    }
  }
}

/** `POST /api/me/unread/tokens`. */
export function issueUnreadStreamToken(deps: { unreadStreamTokens: UnreadStreamTokens }, actor: Actor): Promise<UnreadStreamToken> {
  return deps.unreadStreamTokens.issue(actor.userId);
}
