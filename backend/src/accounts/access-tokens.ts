import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { AppError } from '../app-error.js';

export interface AccessClaims {
  userId: string;
  username: string;
  /** The session (refresh-token family) the token was issued in; absent in tokens issued before sessions were named. */
  sessionId?: string;
  /** Unix seconds. */
  expiresAt: number;
}

const ISSUER = 'chat-service';
const AUDIENCE = 'chat-service';

/** Signs and verifies our own short-lived access tokens (HS256 JWTs). */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(secret: string, readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  /** `sessionId` names the session (refresh-token family) the token belongs to, as the `sid` claim. */
  async issue(user: { id: string; username: string }, sessionId?: string): Promise<string> {
    return new SignJWT(sessionId === undefined ? { username: user.username } : { username: user.username, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** @throws AppError('unauthenticated') for anything but a valid, unexpired token of ours. */
  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
      if (typeof payload.sub !== 'string' || typeof payload['username'] !== 'string' || typeof payload.exp !== 'number') {
        throw new AppError('unauthenticated', 'Invalid access token');
      }
      const sid = payload['sid'];
      if (sid !== undefined && typeof sid !== 'string') throw new AppError('unauthenticated', 'Invalid access token');
      return { userId: payload.sub, username: payload['username'], expiresAt: payload.exp, ...(sid === undefined ? {} : { sessionId: sid }) };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AppError('unauthenticated', 'Access token expired');
      throw new AppError('unauthenticated', 'Invalid access token');
    }
  }
}
