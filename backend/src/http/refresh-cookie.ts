import type { CookieOptions, Request, Response } from 'express';
import { SESSION_HINT_COOKIE } from '../../../shared/src/session-hint.js';
import type { Config } from '../config.js';

export const REFRESH_COOKIE = 'refresh_token';
/** The cookie travels only to the auth routes that read it. */
export const REFRESH_COOKIE_PATH = '/api/auth';

type CookieConfig = Pick<Config, 'SECURE_COOKIES' | 'REFRESH_TOKEN_TTL_S'>;

function cookieOptions(config: CookieConfig, req: Request): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    // req.secure honours X-Forwarded-Proto only when TRUST_PROXY trusts the proxy.
    secure: config.SECURE_COOKIES === true || req.secure,
  };
}

/** The session hint (shared/src/session-hint.ts): readable by the page, on every path, never a secret. */
function hintOptions(config: CookieConfig, req: Request): CookieOptions {
  return { ...cookieOptions(config, req), httpOnly: false, path: '/' };
}

/** Sets the refresh cookie, and the session hint beside it for as long. */
export function setRefreshCookie(res: Response, req: Request, config: CookieConfig, token: string): void {
  const maxAge = config.REFRESH_TOKEN_TTL_S * 1000;
  res.cookie(REFRESH_COOKIE, token, { ...cookieOptions(config, req), maxAge });
  res.cookie(SESSION_HINT_COOKIE, '1', { ...hintOptions(config, req), maxAge });
}

export function clearRefreshCookie(res: Response, req: Request, config: CookieConfig): void {
  res.clearCookie(REFRESH_COOKIE, cookieOptions(config, req));
  res.clearCookie(SESSION_HINT_COOKIE, hintOptions(config, req));
}

export function readRefreshCookie(req: Request): string | undefined {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
