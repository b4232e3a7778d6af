import type { HttpInterceptorFn } from '@angular/common/http';
import { HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { throwError } from 'rxjs';
import { WidgetSettings } from './widget-settings';

/**
 * Sends the client's calls to its own API (`/api/…`) to the chat server the widget names, not to
 * the host page's origin. Runs after the auth interceptor (which adds the access token). Without
 * cookies: the widget never relies on the chat server's refresh cookie across sites (it signs in
 * again with a fresh SSO token instead). The service worker's bypass header goes: the widget has
 * no worker, and the header is not one the chat server's CORS allows.
 */
export const serverUrlInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/')) return next(request);
  const server = inject(WidgetSettings).server();
  if (!server) return throwError(() => new HttpErrorResponse({ status: 0, statusText: 'No chat server set', url: request.url }));
  return next(request.clone({ url: server + request.url, withCredentials: false, headers: request.headers.delete('ngsw-bypass') }));
};
