import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { AppError } from '../app-error.js';
import type { Config } from '../config.js';

/** Preflight answers may be cached this long, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Requested-With';
const EXPOSED_HEADERS = 'Retry-After, WWW-Authenticate';
/** Strict-Transport-Security over https: a year, subdomains included (helmet's default value). */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * A host as it may appear in the Host (or trusted X-Forwarded-Host) header: DNS labels or an
 * IPv4 address, or an IPv6 address in brackets, and an optional port. Anything else (spaces,
 * `;`, `,`, quotes, paths) is not copied into the Content-Security-Policy.
 */
const REQUEST_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]{2,45}\])(?::[0-9]{1,5})?$/i;

/**
 * Response headers through helmet, with a Content-Security-Policy the built Angular app runs
 * under: its own scripts only, inline styles (Angular inlines critical CSS and component
 * styles), images from itself, data: URLs and any https host (avatars), XHR and WebSockets to
 * its own origin and the CORS origins only (connectSources), and no framing by anyone.
 * Strict-Transport-Security only on answers to https requests (strictTransportSecurity).
 */
export function securityHeaders(config: Pick<Config, 'CORS_ORIGINS'>): RequestHandler {
  const headers = helmet({
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
        'connect-src': [connectSources(config.CORS_ORIGINS)],
        'object-src': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    // The API is read cross-origin by the host site's pages (through CORS).
    crossOriginResourcePolicy: { policy: 'same-site' },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
  });
  const hsts = strictTransportSecurity();
  return (req, res, next) => headers(req, res, (error?: unknown) => (error ? next(error) : hsts(req, res, next)));
}

/**
 * Strict-Transport-Security on answers to requests that came over https (req.secure: directly,
 * or per X-Forwarded-Proto from a proxy TRUST_PROXY trusts), as the Secure cookie flag does.
 * Over plain http the header means nothing to browsers, and it must not be sent where the
 * service is reached without TLS on purpose.
 */
function strictTransportSecurity(): RequestHandler {
  return (req, res, next) => {
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}

/**
 * The connect-src sources: 'self'; the WebSocket origin of the request itself (`wss://host` over
 * https, `ws://host` over http) for browsers whose 'self' does not cover WebSockets, and only
 * when the host is well-formed; every CORS origin and its WebSocket twin (https → wss, http → ws).
 * Never bare `ws:` / `wss:`, which would allow sockets to any host.
 */
export function connectSources(corsOrigins: readonly string[]): (req: IncomingMessage) => string {
  const fixed = ["'self'"];
  for (const configured of corsOrigins) {
    const origin = webOrigin(configured);
    if (origin) fixed.push(origin.origin, `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`);
  }
  return (incoming) => {
    const req = incoming as Request;
    const host = requestHost(req);
    if (host === undefined || host.length > 300 || !REQUEST_HOST.test(host)) return fixed.join(' ');
    return [fixed[0], `${req.secure ? 'wss' : 'ws'}://${host.toLowerCase()}`, ...fixed.slice(1)].join(' ');
  };
}

/** An http(s) origin from CORS_ORIGINS, or null for anything else (nothing odd reaches the header). */
function webOrigin(configured: string): URL | null {
  try {
    const url = new URL(configured);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
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
