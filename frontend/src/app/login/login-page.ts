import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, computed, inject, signal } from '@angular/core';
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

type LoginField = 'username' | 'password';

/**
 * The login form. Its two fields are plain signals rather than @angular/forms: this page is every
 * visitor's first load, and the forms package would add a fifth to its JavaScript.
 */
@Component({
  selector: 'app-login-page',
  imports: [RouterLink],
  templateUrl: './login-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);

  protected readonly values = signal<Record<LoginField, string>>({ username: '', password: '' });
  /** The fields the user typed in or left: their errors show. */
  private readonly visited = signal<Record<LoginField, boolean>>({ username: false, password: false });
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
  }

  protected onInput(name: LoginField, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.values.update((values) => ({ ...values, [name]: value }));
    this.visit(name);
    // The wait applies to the username that was throttled; another one may try at once.
    if (name === 'username' && this.retryIn() > 0) {
      clearInterval(this.countdown);
      this.retryIn.set(0);
    }
  }

  protected visit(name: LoginField): void {
    this.visited.update((visited) => (visited[name] ? visited : { ...visited, [name]: true }));
  }

  protected fieldError(name: LoginField): string | null {
    return this.visited()[name] ? this.problemWith(name) : null;
  }

  private problemWith(name: LoginField): string | null {
    const value = this.values()[name];
    if (value === '') return name === 'username' ? 'Enter your username.' : 'Enter your password.';
    if (name === 'username' && value.length > LOGIN_USERNAME_MAX_LENGTH) return 'That is too long.';
    return null;
  }

  protected async submit(): Promise<void> {
    if (this.submitting() || this.retryIn() > 0) return;
    if (this.problemWith('username') || this.problemWith('password')) {
      this.visited.set({ username: true, password: true });
      focusFirstError(this.element, this.injector);
      return;
    }
    const { username, password } = this.values();
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
      this.values.update((values) => ({ ...values, password: '' }));
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
