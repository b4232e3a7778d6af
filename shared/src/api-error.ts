/** The one error shape on the wire, over HTTP (`{error: ApiError}`) and in socket acks. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Per-field messages for validation errors, keyed by the field's path (`"username"`, `"members.0"`). */
  fields?: Record<string, string>;
}

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
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What every socket request's ack callback receives. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };
export type AckCallback<T> = (response: Ack<T>) => void;
