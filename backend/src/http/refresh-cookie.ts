import type { CookieOptions, Request, Response } from 'express';
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

export function setRefreshCookie(res: Response, req: Request, config: CookieConfig, token: string): void {
  res.cookie(REFRESH_COOKIE, token, { ...cookieOptions(config, req), maxAge: config.REFRESH_TOKEN_TTL_S * 1000 });
}

export function clearRefreshCookie(res: Response, req: Request, config: CookieConfig): void {
  res.clearCookie(REFRESH_COOKIE, cookieOptions(config, req));
}

export function readRefreshCookie(req: Request): string | undefined {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
