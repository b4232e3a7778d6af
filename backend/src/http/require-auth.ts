import type { RequestHandler, Response } from 'express';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { authenticateSession } from '../accounts/authenticate-access-token.js';
import { AppError } from '../app-error.js';
import type { Storage, UserRecord } from '../storage/storage.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Lets a request through only with a valid `Authorization: Bearer <access token>` of an
 * active user, who is then available to the route through `authenticatedUser(res)`.
 */
export function requireAuth(deps: { accessTokens: AccessTokens; storage: Storage }): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const match = header ? BEARER.exec(header) : null;
    if (!match) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new AppError('unauthenticated', header ? 'Expected a Bearer access token' : 'Sign in first');
    }
    try {
      const session = await authenticateSession(deps, match[1]!);
      res.locals['user'] = session.user;
      res.locals['sessionId'] = session.sessionId;
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthenticated') {
        res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      }
      throw error;
    }
    next();
  };
}

/** The session of the access token `requireAuth` let through, when the token names one. */
export function authenticatedSessionId(res: Response): string | undefined {
  const sessionId = res.locals['sessionId'] as unknown;
  return typeof sessionId === 'string' ? sessionId : undefined;
}

/** The user `requireAuth` let through. */
export function authenticatedUser(res: Response): UserRecord {
  const user = res.locals['user'] as UserRecord | undefined;
  if (!user) throw new AppError('unauthenticated', 'Sign in first');
  return user;
}
