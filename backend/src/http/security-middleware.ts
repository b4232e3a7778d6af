import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { AppError } from '../app-error.js';
import type { Config } from '../config.js';

/** Preflight answers may be cached this long, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Requested-With';
const EXPOSED_HEADERS = 'Retry-After, WWW-Authenticate';

/**
 * Response headers through helmet, with a Content-Security-Policy the built Angular app runs
 * under: its own scripts only, inline styles (Angular inlines critical CSS and component
 * styles), images from itself, data: URLs and any https host (avatars), XHR and WebSockets to
 * itself, ws:/wss: and the CORS origins, and no framing by anyone.
 */
export function securityHeaders(config: Pick<Config, 'CORS_ORIGINS'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'https:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", 'ws:', 'wss:', ...config.CORS_ORIGINS],
        'object-src': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    // The API is read cross-origin by the host site's pages (through CORS).
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });
}

/**
 * Whether a browser request from `origin` may be served: same origin (its host is the one the
 * request was sent to; behind a trusted proxy, X-Forwarded-Host), or listed in CORS_ORIGINS.
 * Requests without an Origin header do not come from a page on another site and pass.
 * The socket server applies the same rule to its handshakes (realtime/create-socket-server.ts).
 */
export function isOriginAllowed(origin: string | undefined, requestHost: string | undefined, allowlist: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  if (allowlist.has(origin)) return true;
  try {
    return requestHost !== undefined && new URL(origin).host === requestHost;
  } catch {
    return false;
  }
}

/**
 * CORS for the origins in CORS_ORIGINS, with credentials (the refresh cookie). A request from
 * any other cross-site origin is refused with 403 before it reaches a route, so a foreign page
 * can neither read answers nor cause effects. Preflights from allowed origins get 204.
 */
export function corsAllowlist(config: Pick<Config, 'CORS_ORIGINS'>): RequestHandler {
  const allowlist = new Set(config.CORS_ORIGINS);
  return (req, res, next) => {
    const origin = req.headers.origin;
    res.vary('Origin');
    if (!isOriginAllowed(origin, requestHost(req), allowlist)) {
      next(new AppError('forbidden', 'Requests from this origin are not allowed'));
      return;
    }
    if (origin === undefined || !allowlist.has(origin)) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.vary('Access-Control-Request-Headers');
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
      res.status(204).end();
      return;
    }
    next();
  };
}

/** The host the request was sent to, with its port; X-Forwarded-Host only behind a trusted proxy. */
function requestHost(req: Request): string | undefined {
  return req.host || req.headers.host;
}
