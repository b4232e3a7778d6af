import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { AdminAuthorization } from '../admin/admin-authorization.js';
import type { AdminActor } from '../admin/admin-actor.js';
import type { Config } from '../config.js';
import type { Operation, Principal, RestBinding } from '../operations/operation.js';
import { runOperation, type Pipeline } from '../operations/pipeline.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import type { Storage } from '../storage/storage.js';
import { sendError } from './error-middleware.js';
import { loginCredentials } from './login-credentials.js';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie.js';
import { bodyInput, queryInput } from './request-input.js';
import { authenticatedSessionId, authenticatedUser, requireAuth } from './require-auth.js';

export interface RestDeps {
  config: Pick<Config, 'BODY_LIMIT' | 'SECURE_COOKIES' | 'REFRESH_TOKEN_TTL_S'>;
  logger: Logger;
  pipeline: Pipeline;
  operations: readonly Operation[];
  accessTokens: AccessTokens;
  storage: Storage;
  adminAuthorization: AdminAuthorization;
}

/** Where the admin API lives; mounted on the app ahead of /api, since it reads bodies only after authorizing. */
export const ADMIN_PREFIX = '/api/admin';

/**
 * Prefixes whose every path, served or not, needs a signed-in user first: an unknown path
 * there answers 401 to a stranger and 404 only to a user.
 */
const USER_AREAS = ['/chats', '/groups'];
/** Prefixes whose every answer, an unknown path's included, is never cached. */
const NO_STORE_AREAS = ['/auth'];

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The REST transport of the table: a route for every operation that has one. A route only
 * gathers the input from where HTTP carries it (path, query, body, a Basic header) and writes
 * the outcome as a status and JSON; the pipeline does the rest. Bearer credentials are checked
 * before a route runs: signed-in routes need an active user's access token, admin routes an
 * administrator's token or ADMIN_API_KEY — the admin API checks it before reading any body.
 * `admin` is mounted at ADMIN_PREFIX, `api` at /api (after the JSON body parser).
 */
export function createRestOperations(deps: RestDeps): { admin: Router; api: Router } {
  const admin = express.Router();
  const api = express.Router();
  const auth = requireAuth(deps);

  // Bodies are parsed only once the caller is known to be an administrator.
  admin.use(requireAdmin(deps.adminAuthorization));
  for (const op of deps.operations) {
    const rest = op.rest;
    if (rest?.bodyLimit && rest.path.startsWith(ADMIN_PREFIX)) {
      admin[rest.method](rest.path.slice(ADMIN_PREFIX.length), express.json({ limit: rest.bodyLimit, strict: true }));
    }
  }
  admin.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));

  for (const area of USER_AREAS) api.use(area, auth);
  for (const area of NO_STORE_AREAS) api.use(area, noStore);

  for (const op of deps.operations) {
    const rest = op.rest;
    if (!rest) continue;
    const handler = route(deps, op, rest);
    if (rest.path.startsWith(`${ADMIN_PREFIX}/`)) {
      admin[rest.method](rest.path.slice(ADMIN_PREFIX.length), handler);
      continue;
    }
    const path = rest.path.slice('/api'.length);
    const inUserArea = USER_AREAS.some((area) => path === area || path.startsWith(`${area}/`));
    if (op.access === 'user' && !inUserArea) api[rest.method](path, auth, handler);
    else api[rest.method](path, handler);
  }
  return { admin, api };
}

function route(deps: RestDeps, op: Operation, rest: RestBinding<unknown>): RequestHandler {
  const [onlyStatus] = Object.keys(rest.success).map(Number) as Array<200 | 201 | 204>;
  return async (req, res) => {
    const arrivedAt = Date.now();
    let input: unknown;
    let target: unknown;
    try {
      input = restInput(rest, req);
      if (op.target) target = { id: req.params['id'] };
    } catch (error) {
      sendError(res, error, deps.logger, req);
      return;
    }
    const outcome = await runOperation(deps.pipeline, op, { principal: principalOf(op, req, res) }, input, target);
    if (!outcome.ok) {
      // A dead session's cookie is of no further use; keep it through transient failures.
      if (rest.refreshCookie === 'rotate' && (outcome.error.code === 'unauthenticated' || outcome.error.code === 'forbidden')) {
        clearRefreshCookie(res, req, deps.config);
      }
      sendError(res, outcome.cause, deps.logger, req, outcome.error);
      return;
    }
    if (rest.refreshCookie === 'set' || rest.refreshCookie === 'rotate') {
      setRefreshCookie(res, req, deps.config, (outcome.data as { refreshToken: string }).refreshToken);
    } else if (rest.refreshCookie === 'end') {
      clearRefreshCookie(res, req, deps.config);
    }
    const status = rest.status ? rest.status(outcome.data, arrivedAt) : onlyStatus;
    if (status === 204) res.status(204).end();
    else res.status(status ?? 200).json(outcome.data);
  };
}

/** The operation's input, unparsed, from where its binding says HTTP carries it. */
function restInput(rest: RestBinding<unknown>, req: Request): unknown {
  const input = rest.input;
  switch (input.from) {
    case 'body':
      return bodyInput(req, pathIds(input.path, req));
    case 'query': {
      const query = queryInput(req, pathIds(input.path, req), input.numeric);
      return input.defaults ? { ...input.defaults, ...query } : query;
    }
    case 'raw-body':
      return input.orEmpty ? ((req.body as unknown) ?? {}) : (req.body as unknown);
    case 'raw-query':
      return { ...req.query };
    case 'credentials':
      return loginCredentials(req);
    case 'none':
      return undefined;
  }
}

/** `{chatId: 'id'}` → `{chatId: <the path's id>}`. */
function pathIds(names: Record<string, string> | undefined, req: Request): Record<string, unknown> {
  const ids: Record<string, unknown> = {};
  if (names) for (const [key, param] of Object.entries(names)) ids[key] = req.params[param];
  return ids;
}

function principalOf(op: Operation, req: Request, res: Response): Principal {
  switch (op.access) {
    case 'user': {
      // A REST request has no socket, so every tab of the user hears about its effects.
      const sessionId = authenticatedSessionId(res);
      return { actor: { userId: authenticatedUser(res).id, ...(sessionId === undefined ? {} : { sessionId }) } };
    }
    case 'admin':
      return { admin: res.locals['adminActor'] as AdminActor | undefined };
    case 'public':
      return { origin: { ip: clientAddress(req), refreshCookie: readRefreshCookie(req) } };
  }
}

/** The client's address: the connection's peer, or the client named in X-Forwarded-For behind a TRUST_PROXY. */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function requireAdmin(authorization: AdminAuthorization): RequestHandler {
  return async (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    const header = req.headers.authorization;
    const match = header ? BEARER.exec(header) : null;
    if (!match) res.setHeader('WWW-Authenticate', 'Bearer');
    res.locals['adminActor'] = await authorization.authorize(match?.[1]);
    next();
  };
}

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
