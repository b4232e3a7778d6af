/**
 * A cookie the server sets beside the refresh cookie, for the same lifetime, and clears with it.
 * It holds no secret (its value is `1`) and, unlike the httpOnly refresh cookie, scripts can see
 * it: a page without it knows there is no session to restore and shows the login form without
 * first asking the server.
 */
export const SESSION_HINT_COOKIE = 'parley_session';

/** Whether a `document.cookie` string holds the session hint. */
export function hasSessionHint(cookieHeader: string): boolean {
  return cookieHeader.split(';').some((pair) => pair.trim() === `${SESSION_HINT_COOKIE}=1`);
}
