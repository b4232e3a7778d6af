import { HttpErrorResponse } from '@angular/common/http';
import type { ApiError, ErrorCode } from '@shared';
// Straight from its file: the '@shared' barrel would bring zod and every schema into the login page.
import { ERROR_CODES } from '@shared/error-codes';

/** What the UI needs to know about a failed HTTP call. */
export interface HttpFailure {
  /** 0 when the server could not be reached. */
  status: number;
  error: ApiError;
  /** Seconds from the Retry-After header, when the server sent one. */
  retryAfterSeconds: number | null;
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Reads the `{error: {code, message, fields}}` body of a failed call, whatever shape it came in. */
export function httpFailure(failure: unknown): HttpFailure {
  if (!(failure instanceof HttpErrorResponse)) {
    return { status: 0, error: { code: 'internal', message: 'Something went wrong.' }, retryAfterSeconds: null };
  }
  const retryAfter = Number(failure.headers?.get('Retry-After'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null;
  const body: unknown = failure.error;
  const wire = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof wire === 'object' && wire !== null) {
    const { code, message, fields } = wire as Partial<ApiError>;
    return {
      status: failure.status,
      retryAfterSeconds,
      error: {
        code: isErrorCode(code) ? code : 'internal',
        message: typeof message === 'string' ? message : failure.statusText || 'Request failed.',
        ...(fields && typeof fields === 'object' ? { fields } : {}),
      },
    };
  }
  const message = failure.status === 0 ? 'Cannot reach the server. Check your connection.' : 'Request failed.';
  return { status: failure.status, retryAfterSeconds, error: { code: 'internal', message } };
}
