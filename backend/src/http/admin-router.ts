import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { adminUserIdSchema } from '../../../shared/src/schemas/admin.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { PasswordHasher } from '../accounts/password-hasher.js';
import type { AdminActor } from '../admin/admin-actor.js';
import { AdminAuthorization } from '../admin/admin-authorization.js';
import { loadTargetUser, type AdminDeps } from '../admin/admin-deps.js';
import { toAdminUser } from '../admin/admin-user-view.js';
import { AuditTrail } from '../admin/audit-trail.js';
import { changeUserStatus, type StatusChange } from '../admin/change-user-status.js';
import { createUser, createUsersInBulk } from '../admin/create-users.js';
import { deleteUser } from '../admin/delete-user.js';
import { listUsers } from '../admin/list-users.js';
import { resetPassword } from '../admin/reset-password.js';
import { updateUser } from '../admin/update-user.js';
import { AppError } from '../app-error.js';
import type { Config } from '../config.js';
import type { LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';

/** A bulk request of 1000 users is far larger than an ordinary body. */
export const BULK_BODY_LIMIT = '2mb';

const BEARER = /^Bearer +(\S+) *$/i;

export interface AdminRouterDeps {
  config: Pick<Config, 'ADMIN_API_KEY' | 'BCRYPT_COST' | 'BODY_LIMIT'>;
  /** The server's bcrypt queue; without it, a queue of the admin API's own. */
  passwordHasher?: PasswordHasher;
  storage: Storage;
  accessTokens: AccessTokens;
  live: Pick<LiveUpdates, 'disconnectUser' | 'toEveryone'>;
  logger: Logger;
}

/**
 * /api/admin: account administration and the audit trail, for administrators' access tokens
 * and the ADMIN_API_KEY. Each route calls one admin use case. Mounted on the app ahead of the
 * /api router, because it parses bodies itself: after authorization, and with a larger limit
 * for the bulk route.
 */
export function createAdminRouter(deps: AdminRouterDeps): Router {
  const admin: AdminDeps = {
    storage: deps.storage,
    passwords: deps.passwordHasher ?? new PasswordHasher(deps.config.BCRYPT_COST),
    audit: new AuditTrail(deps.storage.audit),
    sessions: deps.live,
    logger: deps.logger,
  };
  const authorization = new AdminAuthorization({
    accessTokens: deps.accessTokens,
    storage: deps.storage,
    apiKey: deps.config.ADMIN_API_KEY,
  });
  const router = express.Router();

  // Bodies are parsed only once the caller is known to be an administrator.
  router.use(requireAdmin(authorization));
  router.post('/users/bulk', express.json({ limit: BULK_BODY_LIMIT, strict: true }));
  router.use(express.json({ limit: deps.config.BODY_LIMIT, strict: true }));

  router.post('/users', async (req, res) => {
    res.status(201).json(await createUser(hashingAs(admin, actorOf(res)), actorOf(res), req.body));
  });

  router.post('/users/bulk', async (req, res) => {
    res.status(201).json(await createUsersInBulk(hashingAs(admin, actorOf(res)), actorOf(res), req.body));
  });

  router.get('/users', async (req, res) => {
    res.json(await listUsers(admin.storage, { ...req.query }));
  });

  router.get('/users/:id', async (req, res) => {
    res.json(toAdminUser(await loadTargetUser(admin.storage, userId(req))));
  });

  router.patch('/users/:id', async (req, res) => {
    res.json(await updateUser(admin, actorOf(res), userId(req), req.body));
  });

  router.post('/users/:id/password', async (req, res) => {
    await resetPassword(hashingAs(admin, actorOf(res)), actorOf(res), userId(req), req.body);
    res.status(204).end();
  });

  for (const change of ['ban', 'disable', 'enable'] as const satisfies StatusChange[]) {
    router.post(`/users/:id/${change}`, async (req, res) => {
      res.json(await changeUserStatus(admin, actorOf(res), userId(req), change, req.body));
    });
  }

  router.delete('/users/:id', async (req, res) => {
    await deleteUser(admin, actorOf(res), userId(req), { ...req.query });
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    res.json(await admin.audit.page({ ...req.query }));
  });

  return router;
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

/**
 * The admin deps with bcrypt work filed under this administrator: trusted (no rate limit or
 * queue bound, since a bulk import hashes up to 1000 passwords), but served one round-robin
 * turn at a time, so an import cannot hold up anyone's sign-in.
 */
function hashingAs(admin: AdminDeps, actor: AdminActor): AdminDeps {
  const key = actor.via === 'user' ? `admin:${actor.userId}` : 'admin:api-key';
  return { ...admin, passwords: admin.passwords.as({ key, trusted: true }) };
}

function actorOf(res: Response): AdminActor {
  const actor = res.locals['adminActor'] as AdminActor | undefined;
  if (!actor) throw new AppError('unauthenticated', 'Sign in as an administrator');
  return actor;
}

function userId(req: Request): string {
  return parseInput(adminUserIdSchema, { id: req.params['id'] }).id;
}
