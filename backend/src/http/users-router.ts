import express, { type Router } from 'express';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { searchUsers } from '../accounts/search-users.js';
import { toSelfUser } from '../accounts/user-views.js';
import type { Storage } from '../storage/storage.js';
import { authenticatedUser, requireAuth } from './require-auth.js';

/** /api/users: the signed-in user's own profile and the user directory. */
export function createUsersRouter(deps: { accessTokens: AccessTokens; storage: Storage }): Router {
  const router = express.Router();
  const auth = requireAuth(deps);

  router.get('/me', auth, (_req, res) => {
    res.json(toSelfUser(authenticatedUser(res)));
  });

  router.get('/', auth, async (req, res) => {
    res.json(await searchUsers(deps.storage, req.query));
  });

  return router;
}
