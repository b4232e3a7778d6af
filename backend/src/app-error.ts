import type { ApiError, ErrorCode } from '../../shared/src/api-error.js';
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
  return new AppError('internal', 'Something went wrong on our side');
}
