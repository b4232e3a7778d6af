import { DOCUMENT, InjectionToken, inject } from '@angular/core';
// Straight from its file: '@shared' as a whole would put zod in the first chunk.
import { hasSessionHint } from '@shared/session-hint';

/**
 * Whether this browser may hold a session to restore: the server's session hint cookie is
 * there. Without it a visitor sees the login form at once, with no refresh request first.
 */
export const SESSION_HINT = new InjectionToken<() => boolean>('SESSION_HINT', {
  providedIn: 'root',
  factory: () => {
    const document = inject(DOCUMENT);
    return () => hasSessionHint(document.cookie);
  },
});
