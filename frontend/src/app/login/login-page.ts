import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { focusFirstError } from '../core/focus-first-error';
import { httpFailure } from '../core/http-failure';
import { AuthService } from '../session/auth.service';
import { safeReturnUrl } from '../core/safe-return-url';

/**
 * The longest username the server accepts at login (loginSchema's `username.max`). A plain number
 * here, not the schema: importing it would bring zod into the first load of the login form.
 */
export const LOGIN_USERNAME_MAX_LENGTH = 64;

@Component({
  selector: 'app-login-page',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './login-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', [Validators.required, Validators.maxLength(LOGIN_USERNAME_MAX_LENGTH)]],
    password: ['', [Validators.required]],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Seconds until the server accepts another attempt after a 429. */
  protected readonly retryIn = signal(0);
  protected readonly throttleMessage = computed(() =>
    this.retryIn() > 0 ? `Too many attempts, try again in ${this.retryIn()} s.` : null,
  );
  protected readonly notice = computed(() => {
    const params = this.route.snapshot.queryParamMap;
    if (params.has('registered')) return 'Your account is ready. Log in to start chatting.';
    if (params.has('expired')) return 'Your session has expired. Please log in again.';
    if (params.has('ended')) return 'You were signed out.';
    return null;
  });
  protected readonly registerQuery = computed(() => {
    const returnUrl = this.route.snapshot.queryParamMap.get('returnUrl');
    return returnUrl ? { returnUrl } : {};
  });

  private countdown: ReturnType<typeof setInterval> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearInterval(this.countdown));
    // The wait applies to the username that was throttled; another one may try at once.
    this.form.controls.username.valueChanges.subscribe(() => {
      if (this.retryIn() === 0) return;
      clearInterval(this.countdown);
      this.retryIn.set(0);
    });
  }

  protected fieldError(name: 'username' | 'password'): string | null {
    const control = this.form.controls[name];
    if (!(control.dirty || control.touched) || !control.errors) return null;
    if (control.errors['required']) return name === 'username' ? 'Enter your username.' : 'Enter your password.';
    if (control.errors['maxlength']) return 'That is too long.';
    return null;
  }

  protected async submit(): Promise<void> {
    if (this.submitting() || this.retryIn() > 0) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstError(this.element, this.injector);
      return;
    }
    const { username, password } = this.form.getRawValue();
    this.submitting.set(true);
    this.error.set(null);
    try {
      await this.auth.login(username.trim(), password);
      await this.router.navigateByUrl(safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl')));
    } catch (failure) {
      this.showFailure(failure);
      focusFirstError(this.element, this.injector);
    } finally {
      this.submitting.set(false);
    }
  }

  private showFailure(failure: unknown): void {
    const { status, error, retryAfterSeconds } = httpFailure(failure);
    if (status === 401) {
      this.error.set('Wrong username or password.');
      this.form.controls.password.reset('');
    } else if (status === 429) {
      if (retryAfterSeconds) this.startCountdown(retryAfterSeconds);
      else this.error.set('Too many attempts, try again later.');
    } else if (status === 0) {
      this.error.set('Cannot reach the server. Check your connection and try again.');
    } else if (status === 400 && error.fields) {
      this.error.set(Object.values(error.fields).join(' '));
    } else {
      this.error.set(error.message || 'Login failed. Please try again.');
    }
  }

  private startCountdown(seconds: number): void {
    clearInterval(this.countdown);
    this.retryIn.set(seconds);
    this.countdown = setInterval(() => {
      this.retryIn.update((s) => Math.max(0, s - 1));
      if (this.retryIn() === 0) clearInterval(this.countdown);
    }, 1000);
  }
}
