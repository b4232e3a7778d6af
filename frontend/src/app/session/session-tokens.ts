import { InjectionToken } from '@angular/core';
import type { AuthTokens } from '@shared';

/** The tokens a session started with: who signed in, and the first access token. */
export const SESSION_TOKENS = new InjectionToken<AuthTokens>('SESSION_TOKENS');
