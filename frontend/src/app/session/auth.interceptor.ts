import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { AccessTokenStore } from './access-token-store';

/**
 * Adds the in-memory access token to calls to our own API, and the cookie to auth calls. Calls to
 * the API bypass the service worker (`ngsw-bypass`): it never caches them, and a call without a
 * network fails as such instead of as the worker's 504.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/')) return next(request);
  const token = inject(AccessTokenStore).accessToken();
  const withCredentials = request.url.startsWith('/api/auth/') || request.withCredentials;
  return next(
    request.clone({
      withCredentials,
      setHeaders: {
        'ngsw-bypass': 'true',
        ...(token && !request.headers.has('Authorization') ? { Authorization: `Bearer ${token}` } : {}),
      },
    }),
  );
};
