import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { aSelfUser, tokens } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { appTestProviders } from '../core/testing/signed-in';
import { stableTwice } from '../core/testing/wait';
import { AuthService } from './auth.service';
import { SessionScope } from './session-scope';
import { SessionStore } from './session-store';
import { SignedInOutlet } from './signed-in-outlet';

/** A page that shows whose session it belongs to. */
@Component({
  selector: 'app-probe-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p data-testid="probe">{{ store.me().username }}</p>`,
})
class ProbePage {
  readonly store = inject(SessionStore);
}

describe('SignedInOutlet', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    // No session services at the root: the page can only get them from the session's injector.
    TestBed.configureTestingModule({ providers: appTestProviders(new FakeSocket()) });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function signIn(username: string): Promise<void> {
    const login = TestBed.inject(AuthService).login(username, 'correct horse battery');
    http.expectOne('/api/auth/login').flush(tokens(aSelfUser(username)));
    await login;
  }

  it('creates the page under the session’s injector, drops it at sign-out, and makes a new one for the next sign-in', async () => {
    const fixture = TestBed.createComponent(SignedInOutlet);
    fixture.componentRef.setInput('page', ProbePage);
    const probe = () => (fixture.nativeElement as HTMLElement).querySelector('[data-testid="probe"]');
    const scope = TestBed.inject(SessionScope);
    await stableTwice(fixture);
    expect(probe()).toBeNull();

    await signIn('ana');
    await stableTwice(fixture);
    expect(probe()!.textContent).toBe('ana');
    const first = scope.get(SessionStore);

    scope.end();
    await stableTwice(fixture);
    expect(probe()).toBeNull();

    await signIn('carla');
    await stableTwice(fixture);
    expect(probe()!.textContent).toBe('carla');
    expect(scope.get(SessionStore)).not.toBe(first);
  });
});
