import { z } from 'zod';
import { ERROR_CODES } from '../error-codes.js';
import { named } from './wire-registry.js';

export { ERROR_CODES };
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.output<typeof errorCodeSchema>;

/** The one error shape on the wire, over HTTP (`{error: ApiError}`) and in socket acks. */
export const apiErrorSchema = named(
  'ApiError',
  z.strictObject({
    code: errorCodeSchema,
    message: z.string(),
    /** Per-field messages for validation errors, keyed by the field's path (`"username"`, `"members.0"`). */
    fields: z.record(z.string(), z.string()).optional(),
  }),
);
export type ApiError = z.output<typeof apiErrorSchema>;

/** Every HTTP error body. */
export const errorResponseSchema = named('ErrorResponse', z.strictObject({ error: apiErrorSchema }));
export type ErrorResponse = z.output<typeof errorResponseSchema>;
