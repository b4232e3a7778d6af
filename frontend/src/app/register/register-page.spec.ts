import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { aSelfUser, tokens } from '../core/testing/chat-fixtures';
import { openRoutedPage } from '../core/testing/routed-page';
import { RegisterPage } from './register-page';
import { until } from '../core/testing/wait';

describe('RegisterPage', () => {
  let http: HttpTestingController;
  let stable: () => Promise<void>;
  let byTestId: (id: string) => HTMLElement | null;

  beforeEach(async () => {
    ({ http, stable, byTestId } = await openRoutedPage('register', RegisterPage, '/register'));
  });
  const errorOf = (field: string) => byTestId(`error-${field}`)?.textContent?.trim() ?? null;

  async function type(field: string, value: string): Promise<void> {
    const input = byTestId(`register-${field}`) as HTMLInputElement | HTMLSelectElement;
    input.value = value;
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input'));
    await stable();
  }

  async function fillValidForm(): Promise<void> {
    await type('username', 'ana_lima');
    await type('firstName', 'Ana');
    await type('lastName', 'Lima');
    await type('email', 'ana@example.test');
    await type('gender', 'female');
    await type('password', 'Pitanga-Mango-42');
    await type('confirm', 'Pitanga-Mango-42');
  }

  async function submit(): Promise<void> {
    (byTestId('register-form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await stable();
  }

  it('checks each field as the user types, with the shared rules', async () => {
    expect(errorOf('username')).toBeNull();
    await type('username', 'ab');
    expect(errorOf('username')).toBe('Username must be at least 3 characters.');
    await type('username', 'ana lima');
    expect(errorOf('username')).toBe('Username may contain only letters, digits, _ . and -.');
    await type('username', 'ana_lima');
    expect(errorOf('username')).toBeNull();

    await type('email', 'ana@');
    expect(errorOf('email')).toBe('Email must be a valid email address.');
    await type('firstName', '   ');
    expect(errorOf('firstName')).toBe('First name is required.');
  });

  it('applies the password policy and shows a strength hint', async () => {
    await type('username', 'ana_lima');
    await type('password', 'short');
    expect(errorOf('password')).toBe('Password must be at least 10 characters.');
    expect(byTestId('password-strength')!.textContent).toContain('Weak');

    await type('password', 'my-ana_lima-secret');
    expect(errorOf('password')).toBe('Password must not contain the username.');

    await type('password', 'Pitanga-Mango-42');
    expect(errorOf('password')).toBeNull();
    expect(byTestId('password-strength')!.getAttribute('data-level')).toBe('strong');

    await type('confirm', 'Pitanga-Mango-41');
    expect(errorOf('confirm')).toBe('Passwords do not match.');
    await type('confirm', 'Pitanga-Mango-42');
    expect(errorOf('confirm')).toBeNull();
  });

  it('does not post an invalid form and points at every bad field', async () => {
    await submit();
    http.expectNone('/api/auth/register');
    expect(errorOf('username')).not.toBeNull();
    expect(errorOf('password')).not.toBeNull();
    expect(byTestId('register-error')!.textContent).toContain('fix the highlighted fields');
  });

  it('moves the focus to the first bad field when a submit fails', async () => {
    byTestId('register-submit')!.focus();
    await submit();
    expect(document.activeElement).toBe(byTestId('register-username'));

    // The server's errors: the focus goes to the first of the fields it named, in form order.
    await fillValidForm();
    byTestId('register-submit')!.focus();
    await submit();
    http.expectOne('/api/auth/register').flush(
      { error: { code: 'validation_failed', message: 'Invalid input', fields: { email: 'is not accepted here', lastName: 'is too unusual' } } },
      { status: 400, statusText: 'Bad Request' },
    );
    await stable();
    expect(document.activeElement).toBe(byTestId('register-lastName'));
  });

  it('shows the server’s per-field errors next to their fields', async () => {
    await fillValidForm();
    await submit();
    http.expectOne('/api/auth/register').flush(
      {
        error: {
          code: 'validation_failed',
          message: 'Invalid input',
          fields: { email: 'is not accepted here', lastName: 'is too unusual' },
        },
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await stable();
    expect(errorOf('email')).toBe('Email is not accepted here.');
    expect(errorOf('lastName')).toBe('Last name is too unusual.');
    expect(errorOf('username')).toBeNull();

    await type('email', 'ana.lima@example.test');
    expect(errorOf('email')).toBeNull();
  });

  it('shows a taken username (409) on the username field', async () => {
    await fillValidForm();
    await submit();
    http
      .expectOne('/api/auth/register')
      .flush({ error: { code: 'conflict', message: 'Username taken' } }, { status: 409, statusText: 'Conflict' });
    await stable();
    expect(errorOf('username')).toBe('This username is already taken.');
    expect(byTestId('register-username')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('registers, logs in and opens the app', async () => {
    await fillValidForm();
    await submit();
    const register = http.expectOne('/api/auth/register');
    expect(register.request.body).toEqual({
      username: 'ana_lima',
      firstName: 'Ana',
      lastName: 'Lima',
      email: 'ana@example.test',
      gender: 'female',
      password: 'Pitanga-Mango-42',
    });
    register.flush(aSelfUser('ana_lima'), { status: 201, statusText: 'Created' });
    await stable();
    http.expectOne('/api/auth/login').flush(tokens(aSelfUser('ana_lima')));
    // The session's services arrive in a chunk of their own before the app navigates.
    await until(() => TestBed.inject(Router).url === '/');
    expect(TestBed.inject(Router).url).toBe('/');
  });
});
