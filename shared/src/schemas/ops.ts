import { z } from 'zod';
import { named } from './wire-registry.js';

/** GET /healthz. */
export const healthSchema = named('Health', z.strictObject({ status: z.literal('ok') }));
export type Health = z.output<typeof healthSchema>;

export const READINESS_STATUSES = ['ok', 'unavailable'] as const;
export type ReadinessStatus = (typeof READINESS_STATUSES)[number];

/** GET /readyz. */
export const readinessSchema = named(
  'Readiness',
  z.strictObject({
    status: z.enum(READINESS_STATUSES),
    /** Per dependency (`store`, `redis`, ...): `ok`, or why it failed. */
    checks: z.record(z.string(), z.string()),
  }),
);
export type Readiness = z.output<typeof readinessSchema>;
