import { z } from 'zod';
import { NO_AUTH, type RouteSpec } from '../route-spec.js';
import { healthSchema, readinessSchema } from '../../../../../shared/src/schemas/ops.js';

/** The document itself is checked by the OpenAPI tooling, not by a schema of its own. */
const openApiDocumentSchema = z.record(z.string(), z.unknown());

/** Liveness, readiness and metrics at the top level, and this document. */
export const opsRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'liveness',
    tag: 'operations',
    summary: 'Liveness: the process serves HTTP',
    security: NO_AUTH,
    responses: { 200: { description: 'Alive', schema: healthSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tag: 'operations',
    summary: 'Readiness: the store (and Redis, when configured) answer',
    security: NO_AUTH,
    responses: {
      200: { description: 'Every check passed', schema: readinessSchema },
      503: { description: 'A check failed; `checks` says which and why', schema: readinessSchema },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'operations',
    summary: 'Prometheus metrics (text exposition format)',
    description: 'Sockets, authenticated users, messages stored and fanned out, ack and store latency, rate-limited and rejected events, process metrics.',
    security: NO_AUTH,
    responses: { 200: { description: 'The metrics', contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'openApiDocument',
    tag: 'operations',
    summary: 'This document (OpenAPI 3.1)',
    security: NO_AUTH,
    responses: { 200: { description: 'The document', schema: openApiDocumentSchema } },
  },
];
