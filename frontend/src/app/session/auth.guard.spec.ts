import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, type ActivatedRouteSnapshot, type RouterStateSnapshot, UrlTree } from '@angular/router';
import { authGuard } from './auth.guard';
import { aSelfUser, tokens } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders } from '../core/testing/signed-in';
import { nextRequest } from '../core/testing/wait';
import { SESSION_HINT } from './session-hint.token';

describe('authGuard', () => {
  let http: HttpTestingController;
  let hinted: boolean;

  beforeEach(() => {
    hinted = true;
    TestBed.configureTestingModule({ providers: [...chatTestProviders(new FakeSocket()), { provide: SESSION_HINT, useValue: () => hinted }] });
    http = TestBed.inject(HttpTestingController);
  });

  function run(url: string): Promise<unknown> {
    return TestBed.runInInjectionContext(
      () => authGuard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot) as Promise<unknown>,
    );
  }

  it('sends visitors without a session to /login with the page they wanted', async () => {
    const result = run('/?chat=abc');
    (await nextRequest(http, '/api/auth/refresh')).flush({ error: { code: 'unauthenticated', message: 'No session' } }, { status: 401, statusText: 'Unauthorized' });
    const tree = await result;
    expect(tree).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(tree as UrlTree)).toBe('/login?returnUrl=%2F%3Fchat%3Dabc');
  });

  it('sends a visitor without the session hint cookie to /login without asking the server', async () => {
    hinted = false;
    const tree = await run('/');
    expect(TestBed.inject(Router).serializeUrl(tree as UrlTree)).toBe('/login?returnUrl=%2F');
    http.expectNone('/api/auth/refresh');
  });

  it('lets a restored session through', async () => {
    const result = run('/');
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(aSelfUser('ana')));
    expect(await result).toBeTrue();
  });

  it('does not ask the server again while signed in', async () => {
    const first = run('/');
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(aSelfUser('ana')));
    await first;
    expect(await run('/')).toBeTrue();
    http.expectNone('/api/auth/refresh');
  });
});
