import express, { type Router } from 'express';
import { openApiDocument } from './openapi-document.js';

/** GET /openapi.json (under /api): the document, built once. */
export function createOpenApiRouter(): Router {
  const router = express.Router();
  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(openApiDocument());
  });
  return router;
}
