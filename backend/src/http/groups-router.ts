import express, { type Router } from 'express';
import { chatRefSchema, createGroupSchema, joinGroupSchema, searchGroupsSchema, updateGroupSchema } from '../../../shared/src/schemas/chats.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import type { Services } from '../services.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { requestActor } from './request-actor.js';
import { bodyInput, queryInput } from './request-input.js';
import { requireAuth } from './require-auth.js';

type Deps = { accessTokens: AccessTokens; storage: Storage; services: Services };

/**
 * /api/groups: create, search, change, join and leave groups. Each route parses its input with
 * the socket event's schema and calls one use case; who may do what is the use case's business.
 */
export function createGroupsRouter(deps: Deps): Router {
  const { services } = deps;
  const router = express.Router();
  router.use(requireAuth(deps));

  router.post('/', async (req, res) => {
    const request = parseInput(createGroupSchema, bodyInput(req));
    res.status(201).json(await services.createGroup(requestActor(res), request));
  });

  /** No `query` parameter lists every group, as an empty search does. */
  router.get('/', async (req, res) => {
    const request = parseInput(searchGroupsSchema, { query: '', ...queryInput(req) });
    res.json(await services.searchGroups(requestActor(res), request));
  });

  router.patch('/:id', async (req, res) => {
    const request = parseInput(updateGroupSchema, bodyInput(req, { chatId: req.params.id }));
    res.json(await services.updateGroup(requestActor(res), request));
  });

  router.post('/:id/join', async (req, res) => {
    const request = parseInput(joinGroupSchema, bodyInput(req, { chatId: req.params.id }));
    res.json(await services.joinGroup(requestActor(res), request));
  });

  router.post('/:id/leave', async (req, res) => {
    const request = parseInput(chatRefSchema, bodyInput(req, { chatId: req.params.id }));
    await services.leaveGroup(requestActor(res), request);
    res.status(204).end();
  });

  return router;
}
