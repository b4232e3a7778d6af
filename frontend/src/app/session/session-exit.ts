import { InjectionToken, inject } from '@angular/core';
import { Router } from '@angular/router';

/** Why the server ended a session: its tokens are no longer accepted, or it was ended (ban, sign-out elsewhere). */
export type SessionEndReason = 'expired' | 'ended';

/**
 * What the page does once the server has ended the session (after the session's services are
 * gone). The app shows its login page, saying why and where to come back to; an embedding (the
 * widget) provides its own.
 */
export const SESSION_EXIT = new InjectionToken<(reason: SessionEndReason) => void>('SESSION_EXIT', {
  providedIn: 'root',
  factory: () => {
    const router = inject(Router);
    return (reason) => {
      const queryParams = reason === 'expired' ? { returnUrl: router.url, expired: 1 } : { ended: 1 };
      void router.navigate(['/login'], { queryParams });
    };
  },
});
