import express, { type Router } from 'express';
import { chatRefSchema, emptySchema, openDirectSchema } from '../../../shared/src/schemas/chats.js';
import { historySchema, sendMessageSchema } from '../../../shared/src/schemas/messages.js';
import { deliveredSchema, readSchema } from '../../../shared/src/schemas/receipts.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import type { Services } from '../services.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { bodyInput, queryInput } from './request-input.js';
import { requestActor } from './request-actor.js';
import { requireAuth } from './require-auth.js';

type Deps = { accessTokens: AccessTokens; storage: Storage; services: Services };

/**
 * /api/chats: the chat list, one chat, direct chats, history, sending, receipts, deleting.
 * Each route parses its input with the socket event's schema and calls one use case.
 */
export function createChatsRouter(deps: Deps): Router {
  const { services } = deps;
  const router = express.Router();
  router.use(requireAuth(deps));

  router.get('/', async (req, res) => {
    parseInput(emptySchema, queryInput(req));
    res.json(await services.listChats(requestActor(res)));
  });

  router.post('/direct', async (req, res) => {
    const request = parseInput(openDirectSchema, bodyInput(req));
    res.json(await services.openDirectChat(requestActor(res), request));
  });

  router.get('/:id', async (req, res) => {
    const request = parseInput(chatRefSchema, queryInput(req, { chatId: req.params.id }));
    res.json(await services.getChat(requestActor(res), request));
  });

  router.delete('/:id', async (req, res) => {
    const request = parseInput(chatRefSchema, bodyInput(req, { chatId: req.params.id }));
    await services.deleteChat(requestActor(res), request);
    res.status(204).end();
  });

  router.get('/:id/messages', async (req, res) => {
    const request = parseInput(historySchema, queryInput(req, { chatId: req.params.id }, ['limit']));
    res.json(await services.readHistory(requestActor(res), request));
  });

  router.post('/:id/messages', async (req, res) => {
    const arrivedAt = Date.now();
    const request = parseInput(sendMessageSchema, bodyInput(req, { chatId: req.params.id }));
    const result = await services.sendMessage(requestActor(res), request);
    // A retry is answered with the message stored earlier: one stored before this request
    // arrived cannot be its doing, so the answer is 200 rather than 201. The body is the same.
    res.status(Date.parse(result.message.createdAt) < arrivedAt ? 200 : 201).json(result);
  });

  router.post('/:id/read', async (req, res) => {
    const request = parseInput(readSchema, bodyInput(req, { chatId: req.params.id }));
    await services.markRead(requestActor(res), request);
    res.status(204).end();
  });

  router.post('/:id/delivered', async (req, res) => {
    const request = parseInput(deliveredSchema, bodyInput(req, { chatId: req.params.id }));
    await services.markDelivered(requestActor(res), request);
    res.status(204).end();
  });

  return router;
}
