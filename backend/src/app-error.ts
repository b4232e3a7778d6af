import type { ApiError, ErrorCode } from '../../shared/src/schemas/errors.js';
import { ConflictError, InvalidInputError, NotFoundError, StoreUnavailableError } from './storage/errors.js';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  blocked: 403,
  wrong_password: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  limit_exceeded: 422,
  rate_limited: 429,
  internal: 500,
  store_unavailable: 503,
  busy: 503,
};

/** The one application error. Use cases throw it; HTTP and socket edges turn it into ApiError. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    /** Seconds a throttled caller should wait. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS[this.code];
  }

  toApiError(): ApiError {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

/** Maps anything thrown to an AppError; unknown errors become `internal` with a generic message. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ConflictError) return new AppError('conflict', error.message, { [error.field]: error.message });
  if (error instanceof NotFoundError) return new AppError('not_found', error.message);
  if (error instanceof InvalidInputError) return new AppError('validation_failed', error.message);
  if (error instanceof StoreUnavailableError) return new AppError('store_unavailable', 'The message store is unavailable; try again shortly');
  return clientErrorFromLibrary(error) ?? new AppError('internal', 'Something went wrong on our side');
}

/**
 * Errors that libraries throw about the request rather than about us, in the http-errors
 * convention that express, its router, body-parser, serve-static and send follow: a 4xx
 * `status` (or `statusCode`). A malformed percent-escape in a path, for one, is the router's
 * URIError with status 400. Their own messages are not passed on; the code says what it was.
 * 5xx and anything without a status stay `internal`.
 */
function clientErrorFromLibrary(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const httpStatus = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : NaN;
  if (!(httpStatus >= 400 && httpStatus < 500)) return null;
  if (error instanceof URIError) return new AppError('validation_failed', 'The request URL has an invalid percent-escape');
  switch (httpStatus) {
    case 401:
      return new AppError('unauthenticated', 'Sign in first');
    case 403:
      return new AppError('forbidden', 'Not allowed');
    case 404:
      return new AppError('not_found', 'Not found');
    case 413:
      return new AppError('payload_too_large', 'The request body is too large');
    case 429:
      return new AppError('rate_limited', 'Too many requests; slow down');
    default:
      return new AppError('validation_failed', 'The request is malformed');
  }
}
