import express, { type Router } from 'express';
import { emptySchema } from '../../../shared/src/schemas/chats.js';
import { userRefSchema } from '../../../shared/src/schemas/presence.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import type { Services } from '../services.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { requestActor } from './request-actor.js';
import { bodyInput, queryInput } from './request-input.js';
import { requireAuth } from './require-auth.js';

type Deps = { accessTokens: AccessTokens; storage: Storage; services: Services };

/** Under /api/users: blocking and unblocking a user, and the list of users one blocks. Each route calls one use case. */
export function createBlocksRouter(deps: Deps): Router {
  const { services } = deps;
  const router = express.Router();
  const auth = requireAuth(deps);

  router.get('/me/blocks', auth, async (req, res) => {
    parseInput(emptySchema, queryInput(req));
    res.json(await services.listBlocks(requestActor(res)));
  });

  router.post('/:id/block', auth, async (req, res) => {
    const request = parseInput(userRefSchema, bodyInput(req, { userId: req.params.id }));
    await services.blockUser(requestActor(res), request);
    res.status(204).end();
  });

  router.delete('/:id/block', auth, async (req, res) => {
    const request = parseInput(userRefSchema, bodyInput(req, { userId: req.params.id }));
    await services.unblockUser(requestActor(res), request);
    res.status(204).end();
  });

  return router;
}
