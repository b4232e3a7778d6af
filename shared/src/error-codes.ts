/**
 * Every error code on the wire. Kept apart from the zod schemas so that a client can recognise
 * codes without loading zod (the login page reads failures with it).
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'blocked',
  'wrong_password',
  'store_unavailable',
  'busy',
  'limit_exceeded',
  'internal',
] as const;
