import express, { type Router } from 'express';
import { syncSchema } from '../../../shared/src/schemas/sync.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import type { Services } from '../services.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { requestActor } from './request-actor.js';
import { bodyInput } from './request-input.js';
import { requireAuth } from './require-auth.js';

type Deps = { accessTokens: AccessTokens; storage: Storage; services: Services };

/** /api/sync: what a client missed while away, as the socket's `sync` answers it. */
export function createSyncRouter(deps: Deps): Router {
  const { services } = deps;
  const router = express.Router();

  router.post('/', requireAuth(deps), async (req, res) => {
    const request = parseInput(syncSchema, bodyInput(req));
    res.json(await services.syncMissed(requestActor(res), request));
  });

  return router;
}
