import { basename, resolve } from 'node:path';
import { constants as zlib } from 'node:zlib';
import compression from 'compression';
import express, { type Request, type RequestHandler, type Response } from 'express';

/**
 * A file name with a content hash in it: the Angular build's `main-7DJGJACG.js`,
 * `chunk-LUSGTZLB.js`, `styles-JJHJ36BO.css` (8 base32 characters after a dash), the lazy chunks
 * it writes when it merges chunks (`chunk-v-E1zzVv.js`: 8 base64url characters), or the
 * `name.0123abcd.js` style of other bundlers (8 or more hex digits after a dot). Such a file never
 * changes under its name, so browsers may keep it for a year without asking again.
 */
const HASHED_ASSET =
  /(?:-[A-Z2-7]{8}|\.[0-9a-f]{8,})\.(?:m?js|css|map|woff2?|ttf|otf|svg|png|jpe?g|gif|webp|avif|ico)$|(?:^|\/)chunk-[\w-]{8}\.m?js$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Files without a hash in their name (assets/emoji/data.json and the like). */
const UNHASHED_MAX_AGE_S = 3600;
/**
 * Brotli quality for answers compressed on the fly: 5 instead of the middleware's 4 makes the
 * app's chunks a few percent smaller for well under a millisecond more per 100 KB.
 */
const BROTLI_QUALITY = 5;

/**
 * The Angular service worker's own files: the worker scripts and the manifest it checks for a new
 * build. Always revalidated, so a new build reaches the browsers that installed the worker.
 */
const SERVICE_WORKER_FILES = new Set(['ngsw-worker.js', 'ngsw.json', 'safety-worker.js', 'worker-basic.min.js']);

export function isServiceWorkerFile(path: string): boolean {
  return SERVICE_WORKER_FILES.has(basename(path));
}

export function isHashedAsset(path: string): boolean {
  return HASHED_ASSET.test(path);
}

/**
 * Compression for the web app's files: brotli or gzip as the browser accepts, through the
 * `compression` middleware (the express project's own, kept up to date, brotli since 1.8).
 * Never for socket.io's path (the socket server answers it before express anyway), never for a
 * stream of server-sent events (compression would hold events back until a buffer fills), and
 * never for an answer that already has a Content-Encoding (the middleware leaves those alone).
 */
export function compressStaticApp(): RequestHandler {
  return compression({
    brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
    filter: (req: Request, res: Response) => {
      if (req.path === '/socket.io' || req.path.startsWith('/socket.io/')) return false;
      const type = res.getHeader('Content-Type');
      if (typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream')) return false;
      return compression.filter(req, res);
    },
  });
}

/**
 * The built Angular app: its files compressed, the hashed ones cached for a year
 * (`immutable`), the others for an hour, and index.html for every other GET (the client-side
 * routes) with `no-cache`, so a new build is picked up at the next load; so are the service
 * worker's files (the worker itself never serves /api or /socket.io).
 */
export function staticApp(staticDir: string): express.Router {
  const router = express.Router();
  const indexFile = resolve(staticDir, 'index.html');
  router.use(compressStaticApp());
  router.use(
    express.static(staticDir, {
      index: false,
      setHeaders(res, path) {
        if (path === indexFile || isServiceWorkerFile(path)) res.setHeader('Cache-Control', 'no-cache');
        else if (isHashedAsset(path)) res.setHeader('Cache-Control', IMMUTABLE);
        else res.setHeader('Cache-Control', `public, max-age=${UNHASHED_MAX_AGE_S}`);
      },
    }),
  );
  router.get('/{*splat}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
  return router;
}
