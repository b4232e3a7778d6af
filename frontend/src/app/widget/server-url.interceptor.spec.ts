import { HttpClient, HttpErrorResponse, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AccessTokenStore } from '../session/access-token-store';
import { authInterceptor } from '../session/auth.interceptor';
import { serverUrlInterceptor } from './server-url.interceptor';
import { WidgetSettings } from './widget-settings';

describe('serverUrlInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let settings: WidgetSettings;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor, serverUrlInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    settings = TestBed.inject(WidgetSettings);
  });

  afterEach(() => backend.verify());

  it('sends API calls to the chat server, with the access token and without cookies or the worker bypass header', () => {
    settings.setServer('https://chat.example/');
    TestBed.inject(AccessTokenStore).set('secret-access');
    http.post('/api/auth/sso', { token: 't' }).subscribe();
    const request = backend.expectOne('https://chat.example/api/auth/sso');
    expect(request.request.headers.get('Authorization')).toBe('Bearer secret-access');
    expect(request.request.withCredentials).toBeFalse();
    expect(request.request.headers.has('ngsw-bypass')).toBeFalse();
  });

  it('leaves the host page’s own calls alone', () => {
    settings.setServer('https://chat.example');
    http.post('https://www.host.example/parley-token', {}, { withCredentials: true }).subscribe();
    const request = backend.expectOne('https://www.host.example/parley-token');
    expect(request.request.withCredentials).toBeTrue();
    expect(request.request.headers.has('Authorization')).toBeFalse();
  });

  it('fails an API call while no server is set, sending nothing', () => {
    let failure: unknown;
    http.get('/api/users/me').subscribe({ error: (error: unknown) => (failure = error) });
    backend.expectNone(() => true);
    expect(failure).toBeInstanceOf(HttpErrorResponse);
    expect((failure as HttpErrorResponse).status).toBe(0);
  });
});
