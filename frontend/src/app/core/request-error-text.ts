import { RequestError } from '../connection/socket-request';

/** A sentence for the user about a failed socket request. */
export function requestErrorText(error: unknown, fallback: string): string {
  if (error instanceof RequestError) {
    if (error.code === 'offline') return 'You are offline. Try again when the connection is back.';
    if (error.code === 'timeout') return 'The server did not answer. Try again.';
    if (error.code === 'rate_limited') return error.message || 'Too many attempts, try again later.';
    return error.message || fallback;
  }
  return fallback;
}
