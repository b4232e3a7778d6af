import { ChangeDetectionStrategy, Component, ElementRef, Injector, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { GENDERS, passwordProblem, passwordStrength, registerSchema, type Gender } from '@shared';
import { focusFirstError } from '../core/focus-first-error';
import { httpFailure } from '../core/http-failure';
import { AuthService } from '../session/auth.service';
import { safeReturnUrl } from '../core/safe-return-url';
import { schemaValidator } from '../core/schema-validator';

type FieldName = 'username' | 'firstName' | 'lastName' | 'email' | 'gender' | 'password' | 'confirm';

const LABELS: Record<FieldName, string> = {
  username: 'Username',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  gender: 'Gender',
  password: 'Password',
  confirm: 'Confirmation',
};

const GENDER_LABELS: Record<Gender, string> = {
  female: 'Female',
  male: 'Male',
  nonbinary: 'Non-binary',
  unspecified: 'Prefer not to say',
};

const STRENGTH_LABELS = { weak: 'Weak', fair: 'Fair', good: 'Good', strong: 'Strong' } as const;

/** The password must meet the shared policy, which also forbids containing the username. */
function passwordPolicy(control: AbstractControl): ValidationErrors | null {
  const username: unknown = control.parent?.get('username')?.value;
  const problem = passwordProblem(String(control.value ?? ''), typeof username === 'string' ? username : '');
  return problem ? { schema: problem } : null;
}

function matchesPassword(control: AbstractControl): ValidationErrors | null {
  const password: unknown = control.parent?.get('password')?.value;
  if (!control.value) return { schema: 'is required' };
  return control.value === password ? null : { mismatch: true };
}

@Component({
  selector: 'app-register-page',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './register-page.html',
  styleUrl: './register-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RegisterPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);
  private readonly shape = registerSchema.shape;

  protected readonly genders = GENDERS.map((value) => ({ value, label: GENDER_LABELS[value] }));
  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', schemaValidator(this.shape.username)],
    firstName: ['', schemaValidator(this.shape.firstName)],
    lastName: ['', schemaValidator(this.shape.lastName)],
    email: ['', schemaValidator(this.shape.email)],
    gender: ['unspecified' as Gender, schemaValidator(this.shape.gender)],
    password: ['', passwordPolicy],
    confirm: ['', matchesPassword],
  });
  protected readonly submitting = signal(false);
  protected readonly error = signal<string | null>(null);

  private readonly passwordValue = toSignal(this.form.controls.password.valueChanges, { initialValue: '' });
  protected readonly strength = computed(() => {
    const password = this.passwordValue();
    if (!password) return null;
    const level = passwordStrength(password);
    return { level, label: STRENGTH_LABELS[level] };
  });

  constructor() {
    const { username, password, confirm } = this.form.controls;
    username.valueChanges.subscribe(() => password.updateValueAndValidity({ emitEvent: false }));
    password.valueChanges.subscribe(() => confirm.updateValueAndValidity({ emitEvent: false }));
  }

  /** The message shown under a field, once the user has typed in it or left it. */
  protected fieldError(name: FieldName): string | null {
    const control = this.form.controls[name];
    const errors = control.errors;
    if (!errors || !(control.dirty || control.touched)) return null;
    if (typeof errors['server'] === 'string') return errors['server'];
    if (errors['mismatch']) return 'Passwords do not match.';
    if (typeof errors['schema'] === 'string') return `${LABELS[name]} ${errors['schema']}.`;
    return `${LABELS[name]} is invalid.`;
  }

  protected async submit(): Promise<void> {
    if (this.submitting()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.error.set('Please fix the highlighted fields.');
      focusFirstError(this.element, this.injector);
      return;
    }
    const { confirm: _confirm, ...values } = this.form.getRawValue();
    const request = { ...values, username: values.username.trim(), email: values.email.trim() };
    this.submitting.set(true);
    this.error.set(null);
    try {
      await this.auth.register(request);
    } catch (failure) {
      this.showFailure(failure);
      this.submitting.set(false);
      focusFirstError(this.element, this.injector);
      return;
    }
    const returnUrl = safeReturnUrl(this.route.snapshot.queryParamMap.get('returnUrl'));
    try {
      await this.auth.login(request.username, request.password);
      await this.router.navigateByUrl(returnUrl);
    } catch {
      await this.router.navigate(['/login'], { queryParams: { registered: 1, returnUrl } });
    } finally {
      this.submitting.set(false);
    }
  }

  private showFailure(failure: unknown): void {
    const { status, error } = httpFailure(failure);
    const unplaced: string[] = [];
    const fields = error.fields ?? {};
    for (const [path, message] of Object.entries(fields)) {
      const name = path.split('.')[0] as FieldName;
      if (name in this.form.controls) this.setServerError(name, `${LABELS[name]} ${message}`.replace(/\.?$/, '.'));
      else unplaced.push(message);
    }
    if (status === 409) {
      if (Object.keys(fields).length === 0) this.setServerError('username', 'This username is already taken.');
      this.error.set(null);
    } else if (status === 400) {
      this.error.set(unplaced.length ? unplaced.join(' ') : Object.keys(fields).length ? null : error.message);
    } else if (status === 429) {
      this.error.set('Too many attempts, try again later.');
    } else if (status === 0) {
      this.error.set('Cannot reach the server. Check your connection and try again.');
    } else {
      this.error.set(error.message || 'Registration failed. Please try again.');
    }
  }

  private setServerError(name: FieldName, message: string): void {
    const control = this.form.controls[name];
    control.setErrors({ ...(control.errors ?? {}), server: message });
    control.markAsTouched();
  }
}
