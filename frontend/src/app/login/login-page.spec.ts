import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { aSelfUser, tokens } from '../core/testing/chat-fixtures';
import { openRoutedPage } from '../core/testing/routed-page';
import { loginSchema } from '@shared';
import { LOGIN_USERNAME_MAX_LENGTH, LoginPage } from './login-page';
import { until } from '../core/testing/wait';

describe('LoginPage', () => {
  let http: HttpTestingController;
  let page: HTMLElement;
  let stable: () => Promise<void>;
  let byTestId: (id: string) => HTMLElement | null;

  beforeEach(async () => {
    ({ http, page, stable, byTestId } = await openRoutedPage('login', LoginPage, '/login?returnUrl=%2F%3Fchat%3D42'));
  });

  async function type(testId: string, value: string): Promise<void> {
    const input = byTestId(testId) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    await stable();
  }

  async function submit(): Promise<void> {
    (byTestId('login-form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await stable();
  }

  /** Submits a username and a password the server answers 401 for. */
  async function submitWrongCredentials(): Promise<void> {
    await type('login-username', 'ana');
    await type('login-password', 'not-the-password');
    await submit();
    http
      .expectOne('/api/auth/login')
      .flush({ error: { code: 'unauthenticated', message: 'Invalid credentials' } }, { status: 401, statusText: 'Unauthorized' });
    await stable();
  }

  it('asks for the username once the field was left empty', async () => {
    await type('login-username', 'a');
    await type('login-username', '');
    expect(page.textContent).toContain('Enter your username.');
    expect(byTestId('login-username')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('says so when the credentials are wrong', async () => {
    await submitWrongCredentials();
    expect(byTestId('login-error')!.textContent).toContain('Wrong username or password.');
  });

  it('moves the focus to the first field to fix after a failed submit: the username when empty, the emptied password after wrong credentials', async () => {
    await submit();
    await until(() => document.activeElement === byTestId('login-username'));
    expect(document.activeElement).toBe(byTestId('login-username'));
    expect(byTestId('login-username')!.getAttribute('aria-invalid')).toBe('true');

    await submitWrongCredentials();
    await until(() => document.activeElement === byTestId('login-password'));
    expect(document.activeElement).toBe(byTestId('login-password'));
    expect((byTestId('login-password') as HTMLInputElement).value).toBe('');
    expect(byTestId('login-error')!.textContent).toContain('Wrong username or password.');
  });

  it('explains throttling with the Retry-After delay and holds the button', async () => {
    await type('login-username', 'ana');
    await type('login-password', 'whatever-it-is');
    await submit();
    http
      .expectOne('/api/auth/login')
      .flush(
        { error: { code: 'rate_limited', message: 'Too many attempts' } },
        { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '30' } },
      );
    await stable();
    expect(byTestId('login-error')!.textContent).toContain('Too many attempts, try again in 30 s');
    expect((byTestId('login-submit') as HTMLButtonElement).disabled).toBeTrue();
  });

  it('logs in and returns to the page that was asked for', async () => {
    await type('login-username', 'ana');
    await type('login-password', 'correct horse battery');
    await submit();
    const request = http.expectOne('/api/auth/login');
    expect(request.request.body).toEqual({ username: 'ana', password: 'correct horse battery' });
    request.flush(tokens(aSelfUser('ana')));
    // The session's services arrive in a chunk of their own before the app navigates.
    await until(() => TestBed.inject(Router).url === '/?chat=42');
    expect(TestBed.inject(Router).url).toBe('/?chat=42');
  });

  it('limits the username to the length loginSchema accepts', () => {
    expect(LOGIN_USERNAME_MAX_LENGTH).toBe(loginSchema.shape.username.maxLength ?? Number.NaN);
  });
});
