import { refreshFailure } from '../../session/state/refresh-failure';
import type { SessionEndReason } from '../../session/session-exit';

/**
 * Where the widget's sign-in stands. `waiting`: no server or no way to get a token yet (the host
 * has not set the attributes). `signed-out`: the host has no signed-in user (its token endpoint
 * refused), or the chat server ended the session (`expired`, `ended`). `unreachable`: the chat
 * server or the host's endpoint could not be reached; a retry may help.
 */
export type WidgetStatus =
  | { phase: 'waiting' }
  | { phase: 'signing-in' }
  | { phase: 'signed-in' }
  | { phase: 'signed-out'; reason: 'refused' | SessionEndReason | 'host' }
  | { phase: 'unreachable' };

export const initialWidgetStatus: WidgetStatus = { phase: 'waiting' };

export function signInStarted(_status: WidgetStatus): WidgetStatus {
  return { phase: 'signing-in' };
}

export function signedIn(_status: WidgetStatus): WidgetStatus {
  return { phase: 'signed-in' };
}

/** A sign-in failed: refused (401/403: the host's user is not signed in, or the token was refused) or not reachable. */
export function signInFailed(error: unknown): (status: WidgetStatus) => WidgetStatus {
  return () => (refreshFailure(error) === 'refused' ? { phase: 'signed-out', reason: 'refused' } : { phase: 'unreachable' });
}

/** The chat server ended the session (SESSION_EXIT). Ignored unless signed in: a sign-in under way has its own outcome. */
export function sessionExited(reason: SessionEndReason): (status: WidgetStatus) => WidgetStatus {
  return (status) => (status.phase === 'signed-in' ? { phase: 'signed-out', reason } : status);
}

/** The host signed its user out (its `signOut()` call, or the element left the page). */
export function signedOutByHost(_status: WidgetStatus): WidgetStatus {
  return { phase: 'signed-out', reason: 'host' };
}

/** What the panel says when nobody is signed in. */
export function statusText(status: WidgetStatus): string {
  switch (status.phase) {
    case 'waiting':
      return 'The chat is not set up on this page.';
    case 'signing-in':
      return 'Signing in to the chat…';
    case 'signed-in':
      return '';
    case 'unreachable':
      return 'The chat cannot be reached right now.';
    case 'signed-out':
      if (status.reason === 'expired') return 'Your chat session has expired. Sign in to this site again to chat.';
      if (status.reason === 'ended') return 'Your chat session was ended.';
      return 'Sign in to this site to chat.';
  }
}
