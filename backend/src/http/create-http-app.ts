import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { createAccountService } from '../accounts/account-service.js';
import type { Config } from '../config.js';
import type { Storage } from '../storage/storage.js';
import { createAuthRouter } from './auth-router.js';
import { apiNotFound, errorMiddleware } from './error-middleware.js';
import { createUsersRouter } from './users-router.js';

export interface HttpDeps {
  config: Config;
  logger: Logger;
  storage: Storage;
  accessTokens: AccessTokens;
}

/** The express app: JSON API under /api, the built Angular app everywhere else, one error handler. */
export function createHttpApp(deps: HttpDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) app.set('trust proxy', config.TRUST_PROXY);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const api = express.Router();
  api.use(express.json({ limit: config.BODY_LIMIT, strict: true }));
  api.use(cookieParser());
  // feature routers are mounted here
  const accounts = createAccountService(deps);
  api.use('/auth', createAuthRouter({ config, accounts }));
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
  app.use(errorMiddleware(logger));
  return app;
}
