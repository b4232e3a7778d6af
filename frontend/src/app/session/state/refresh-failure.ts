/**
 * Why restoring the session at load failed: the server refused the refresh cookie (the session is
 * over: log in again, and what the browser kept goes), or the server could not be reached (no
 * network, the service worker's 504, a timeout, the server down: start offline from the kept
 * profile and connect once the network is back), or anything else (log in again).
 */
export type RefreshFailure = 'refused' | 'unreachable' | 'other';

/** Answers a proxy or the service worker gives when the server cannot be reached. */
const UNREACHABLE_STATUSES = new Set([0, 502, 503, 504]);

/** Reads a failed refresh: an HttpErrorResponse (by its status), rxjs's TimeoutError, or anything else. */
export function refreshFailure(error: unknown): RefreshFailure {
  if (typeof error !== 'object' || error === null) return 'other';
  if ((error as { name?: unknown }).name === 'TimeoutError') return 'unreachable';
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number') return 'other';
  if (status === 401 || status === 403) return 'refused';
  return UNREACHABLE_STATUSES.has(status) ? 'unreachable' : 'other';
}
