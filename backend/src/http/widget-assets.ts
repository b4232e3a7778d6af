import { resolve } from 'node:path';
import express from 'express';
import { AppError } from '../app-error.js';
import { IMMUTABLE, compressStaticApp, isHashedAsset } from './static-app.js';

/** Where the widget's files are served. */
export const WIDGET_PREFIX = '/widget';
/** The name host pages load the widget by; the build writes it as main.js. */
export const WIDGET_SCRIPT = 'parley-chat.js';
const BUILT_ENTRY = 'main.js';

/**
 * The chat widget (`ng build widget`) for host pages on other origins. The host loads it as a
 * module script (`<script type="module" src=".../widget/parley-chat.js">`), which is a CORS
 * request: the CORS allowlist (security-middleware.ts) answers it for the CORS_ORIGINS, and
 * `Cross-Origin-Resource-Policy: cross-origin` lets their pages use it. The entry keeps its name
 * from build to build, so it is revalidated on every load (`no-cache`, with its ETag); the chunks
 * it imports have a hash in their names and are cached for good. Unknown names: 404.
 */
export function widgetAssets(widgetDir: string): express.Router {
  const router = express.Router();
  const entry = resolve(widgetDir, BUILT_ENTRY);
  router.use((_req, res, next) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    next();
  });
  router.use(compressStaticApp());
  router.get(`/${WIDGET_SCRIPT}`, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(entry, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (error) => {
      if (error) next(new AppError('not_found', 'The widget is not built'));
    });
  });
  router.use(
    express.static(widgetDir, {
      index: false,
      setHeaders(res, path) {
        res.setHeader('Cache-Control', isHashedAsset(path) ? IMMUTABLE : 'no-cache');
      },
    }),
  );
  router.use((_req, _res, next) => next(new AppError('not_found', 'No such widget file')));
  return router;
}
