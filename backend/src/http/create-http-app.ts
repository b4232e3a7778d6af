import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { createAccountService } from '../accounts/account-service.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import type { Config } from '../config.js';
import type { LiveUpdates } from '../live-updates.js';
import type { Services } from '../services.js';
import type { Storage } from '../storage/storage.js';
import type { Operations } from '../ops/operations.js';
import type { SsoKey } from '../sso/sso-key.js';
import { createAdminRouter } from './admin-router.js';
import { createAuthRouter } from './auth-router.js';
import { createBlocksRouter } from './blocks-router.js';
import { createChatsRouter } from './chats-router.js';
import { apiNotFound, errorMiddleware, refuseMalformedPath, routeNotFound } from './error-middleware.js';
import { createGroupsRouter } from './groups-router.js';
import { createOpenApiRouter } from './openapi/openapi-router.js';
import { createOpsRouter } from './ops-router.js';
import { corsAllowlist, securityHeaders } from './security-middleware.js';
import { createSsoRouter } from './sso-router.js';
import { createSyncRouter } from './sync-router.js';
import { createUsersRouter } from './users-router.js';

export interface HttpDeps {
  config: Config;
  logger: Logger;
  storage: Storage;
  accessTokens: AccessTokens;
  /** The chat use cases, shared with the socket handlers. */
  services: Services;
  /** Reaches connected sockets (e.g. to end a banned user's sessions). */
  live: LiveUpdates;
  /** Metrics and readiness checks, shared with the socket layer. */
  operations: Operations;
  /** The key host-site SSO tokens are checked with; null when SSO is off. */
  ssoKey: SsoKey | null;
  /** With REDIS_URL: an ioredis client, so that the sign-in throttle is shared by every process. */
  redisClient?: unknown;
  /** The process's one bcrypt queue and its rate limits (accounts, admin API); shared with the group passwords. */
  passwordHasher?: PasswordHasher;
}

/** The express app: JSON API under /api, the built Angular app everywhere else, one error handler. */
export function createHttpApp(deps: HttpDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY !== undefined) app.set('trust proxy', config.TRUST_PROXY);

  const api = express.Router();
  api.use(express.json({ limit: config.BODY_LIMIT, strict: true }));
  api.use(cookieParser());
  // feature routers are mounted here
  // On the app, ahead of everything mounted below: headers and CORS for every answer, the
  // ops routes at the top level, the admin API (which parses its own bodies after authorizing).
  app.use(securityHeaders(config));
  app.use(refuseMalformedPath);
  app.use(corsAllowlist(config));
  app.use(createOpsRouter(deps.operations));
  app.use('/api/admin', createAdminRouter(deps));
  api.use(createOpenApiRouter());
  api.use('/chats', createChatsRouter(deps));
  api.use('/groups', createGroupsRouter(deps));
  api.use('/users', createBlocksRouter(deps));
  api.use('/sync', createSyncRouter(deps));
  const accounts = createAccountService(deps);
  api.use('/auth', createAuthRouter({ config, accounts }));
  api.use('/auth', createSsoRouter({ ...deps, accounts }));
  api.use('/users', createUsersRouter(deps));
  api.use(apiNotFound);
  app.use('/api', api);

  const staticDir = resolve(config.STATIC_DIR);
  if (existsSync(staticDir)) {
    app.use(express.static(staticDir, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(resolve(staticDir, 'index.html'));
    });
  }
  app.use(routeNotFound);
  app.use(errorMiddleware(logger));
  return app;
}
