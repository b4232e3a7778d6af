import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Observability } from '../observability/observability.js';
import { createFileRouter } from './file-routes.js';
import { createUploadRouter } from './upload-route.js';
import { apiNotFound, errorMiddleware, refuseMalformedPath, routeNotFound } from './error-middleware.js';
import { createOpenApiRouter } from './openapi/openapi-router.js';
import { createObservabilityRouter } from './observability-router.js';
import { ADMIN_PREFIX, createRestOperations, type RestDeps } from './rest-operations.js';
import { corsAllowlist, securityHeaders } from './security-middleware.js';
import { staticApp } from './static-app.js';

export interface HttpDeps {
  config: Config;
  logger: Logger;
  /** Metrics and readiness checks, shared with the socket layer. */
  observability: Observability;
  /** The table of operations and what its routes need. */
  rest: RestDeps;
}

/**
 * The express app: the table's routes under /api, the observability routes, the OpenAPI document, the
 * built Angular app everywhere else (compressed, hashed files cached for good), one error handler.
 */
export function createHttpApp(deps: HttpDeps): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY !== undefined) app.set('trust proxy', config.TRUST_PROXY);

  const routes = createRestOperations(deps.rest);
  const api = express.Router();
  api.use(express.json({ limit: config.BODY_LIMIT, strict: true }));
  api.use(cookieParser());
  // On the app, ahead of everything mounted below: headers and CORS for every answer, the
  // ops routes at the top level, the admin API (which parses its own bodies after authorizing).
  app.use(securityHeaders(config));
  app.use(refuseMalformedPath);
  app.use(corsAllowlist(config));
  app.use(createObservabilityRouter(deps.observability));
  app.use(ADMIN_PREFIX, routes.admin);
  // Streamed multipart, before anything reads the body; then the downloads, outside /api.
  app.use('/api', createUploadRouter(deps.rest));
  app.use(createFileRouter({ storage: deps.rest.storage, files: deps.rest.pipeline.deps.files, logger }));
  api.use(createOpenApiRouter());
  api.use(routes.api);
  api.use(apiNotFound);
  app.use('/api', api);

  const staticDir = resolve(config.STATIC_DIR);
  if (existsSync(staticDir)) {
    app.use(staticApp(staticDir));
  }
  app.use(routeNotFound);
  app.use(errorMiddleware(logger));
  return app;
}
