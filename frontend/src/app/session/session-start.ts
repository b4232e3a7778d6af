import { InjectionToken } from '@angular/core';
import type { AuthTokens, SelfUser } from '@shared';

/**
 * How a session started: who signed in, and the first tokens. `tokens` is null for a session
 * started offline from the profile the browser kept: it connects once the network is back, after
 * getting its first access token from the refresh cookie.
 */
export interface SessionStart {
  user: SelfUser;
  tokens: AuthTokens | null;
}

export const SESSION_START = new InjectionToken<SessionStart>('SESSION_START');
