import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AccessTokenStore } from './access-token-store';
import { authInterceptor } from './auth.interceptor';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  it('adds the in-memory access token to API calls', () => {
    TestBed.inject(AccessTokenStore).set('secret-access');
    http.get('/api/users/me').subscribe();
    const request = backend.expectOne('/api/users/me');
    expect(request.request.headers.get('Authorization')).toBe('Bearer secret-access');
  });

  it('sends cookies with auth calls and no header without a token', () => {
    http.post('/api/auth/refresh', {}).subscribe();
    const request = backend.expectOne('/api/auth/refresh');
    expect(request.request.withCredentials).toBeTrue();
    expect(request.request.headers.has('Authorization')).toBeFalse();
  });

  it('leaves other hosts alone', () => {
    TestBed.inject(AccessTokenStore).set('secret-access');
    http.get('https://elsewhere.example/api/x').subscribe();
    expect(backend.expectOne('https://elsewhere.example/api/x').request.headers.has('Authorization')).toBeFalse();
  });
});
