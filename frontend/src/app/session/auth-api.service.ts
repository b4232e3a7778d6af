import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { AuthTokens, LoginRequest, RegisterRequest, SelfUser } from '@shared';

/** The REST side of accounts: register, log in, refresh, log out. */
@Injectable({ providedIn: 'root' })
export class AuthApiService {
  private readonly http = inject(HttpClient);

  register(request: RegisterRequest): Observable<SelfUser> {
    return this.http.post<SelfUser>('/api/auth/register', request, { withCredentials: true });
  }

  login(request: LoginRequest): Observable<AuthTokens> {
    return this.http.post<AuthTokens>('/api/auth/login', request, { withCredentials: true });
  }

  /**
   * Uses only the httpOnly cookie: every tab shares it, so a tab never presents a refresh
   * token another tab has already spent.
   */
  refresh(): Observable<AuthTokens> {
    return this.http.post<AuthTokens>('/api/auth/refresh', {}, { withCredentials: true });
  }

  logout(): Observable<unknown> {
    return this.http.post('/api/auth/logout', {}, { withCredentials: true });
  }

  me(): Observable<SelfUser> {
    return this.http.get<SelfUser>('/api/users/me');
  }
}
