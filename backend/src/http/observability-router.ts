import express, { type Router } from 'express';
import type { Metrics } from '../observability/metrics.js';
import type { Readiness } from '../observability/readiness.js';

/**
 * Observability endpoints, at the top level (not under /api):
 * - GET /healthz: liveness. 200 while the process serves HTTP; it checks nothing else, so a
 *   store outage never gets the process restarted.
 * - GET /readyz: readiness. 200 `{status:'ok', checks}` when every registered check passes
 *   (the store, and Redis when configured), else 503 `{status:'unavailable', checks}` naming
 *   the failing ones; load balancers stop sending traffic meanwhile.
 * - GET /metrics: Prometheus text format.
 */
export function createObservabilityRouter(deps: { readiness: Readiness; metrics: Metrics }): Router {
  const router = express.Router();
  // Only these answers are never cached; the router is mounted at the root, so no router.use here.
  const noStore: express.RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  router.use(['/healthz', '/readyz', '/metrics'], noStore);

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const report = await deps.readiness.report();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  router.get('/metrics', async (_req, res) => {
    const body = await deps.metrics.render();
    res.setHeader('Content-Type', deps.metrics.contentType);
    res.send(body);
  });

  return router;
}
