import type { Request, RequestHandler, Response } from 'express';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { authenticateAccessToken } from '../accounts/authenticate-access-token.js';
import { AppError } from '../app-error.js';
import type { Storage } from '../storage/storage.js';
import type { UnreadStreamHub } from '../unread/unread-stream-hub.js';
import type { UnreadStreamTokens } from '../unread/unread-stream-tokens.js';

export interface UnreadStreamDeps {
  accessTokens: AccessTokens;
  streamTokens: UnreadStreamTokens;
  storage: Storage;
  hub: UnreadStreamHub;
  /** Streams one user may have open in this process (MAX_SOCKETS_PER_USER). */
  maxStreamsPerUser: number;
  heartbeatMs: number;
}

export const UNREAD_STREAM_PATH = '/api/me/unread/stream';
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * `GET /api/me/unread/stream`: server-sent events. `event: unread` with `{"unread":n,"mentions":m}`
 * at once and whenever the counts change (in any process); a comment line as heartbeat.
 * Authenticated by `Authorization: Bearer <access token>` or `?token=<stream token>`
 * (POST /api/me/unread/tokens; EventSource cannot send headers). Errors before the stream
 * starts are ordinary JSON errors (401, 403, 429).
 */
export function unreadStreamRoute(deps: UnreadStreamDeps): RequestHandler {
  return async (req, res, next) => {
    try {
      const userId = await authenticate(deps, req);
      if (deps.hub.countOf(userId) >= deps.maxStreamsPerUser) {
        throw new AppError('rate_limited', 'Too many unread streams open; close one first');
      }
      openStream(deps, userId, req, res);
    } catch (error) {
      next(error);
    }
  };
}

async function authenticate(deps: UnreadStreamDeps, req: Request): Promise<string> {
  const header = req.headers.authorization;
  if (header) {
    const match = BEARER.exec(header);
    if (!match) throw new AppError('unauthenticated', 'Expected a Bearer access token');
    return (await authenticateAccessToken(deps, match[1]!)).id;
  }
  const token = req.query['token'];
  if (typeof token !== 'string' || token === '') throw new AppError('unauthenticated', 'Sign in first: a Bearer access token or ?token=');
  const userId = await deps.streamTokens.verify(token);
  const user = await deps.storage.users.byId(userId);
  if (!user) throw new AppError('unauthenticated', 'This account no longer exists');
  if (user.status !== 'active') throw new AppError('forbidden', 'This account cannot sign in');
  return userId;
}

function openStream(deps: UnreadStreamDeps, userId: string, req: Request, res: Response): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 5000\n\n');
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), deps.heartbeatMs);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    stop();
    res.end();
  };
  const stop = deps.hub.open(userId, (counts) => res.write(`event: unread\ndata: ${JSON.stringify(counts)}\n\n`), end);
  req.on('close', end);
}
