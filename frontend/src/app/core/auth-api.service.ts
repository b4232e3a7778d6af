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

  /** Uses the httpOnly cookie; the in-memory refresh token, when known, goes along in the body. */
  refresh(refreshToken: string | null): Observable<AuthTokens> {
    return this.http.post<AuthTokens>('/api/auth/refresh', refreshToken ? { refreshToken } : {}, {
      withCredentials: true,
    });
  }

  logout(): Observable<unknown> {
    return this.http.post('/api/auth/logout', {}, { withCredentials: true });
  }

  me(): Observable<SelfUser> {
    return this.http.get<SelfUser>('/api/users/me');
  }
}
