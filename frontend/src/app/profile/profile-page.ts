import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  computed,
  inject,
  signal,
  viewChild,
  type WritableSignal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, type AbstractControl, type FormGroup, type ValidationErrors } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { newClientId } from '@shared/client-id';
import { AttachmentUploads, UploadCancelled, UploadError } from '../attachments/attachment-uploads.service';
import { fileSize } from '../attachments/state/file-size';
import { likelyKind } from '../attachments/state/picked-files';
import { tooBig } from '../attachments/state/upload-problem';
import { percentDone } from '../attachments/state/upload-progress';
import { Connection } from '../connection/connection.service';
import { GENDERS, passwordProblem, passwordStrength, registerSchema, type Gender, type UpdateProfileRequest } from '@shared';
import { NotificationSettings } from '../notifications/notification-settings';
import { UserAvatar } from '../chat/user-avatar';
import { RequestError } from '../connection/socket-request';
import { focusFirstError } from '../core/focus-first-error';
import { fullName } from '../core/full-name';
import { requestErrorText } from '../core/request-error-text';
import { schemaValidator } from '../core/schema-validator';
import { SessionStore } from '../session/session-store';
import { THEME_PREFERENCES, type ThemePreference } from '../theme/theme-preference';
import { ThemeService } from '../theme/theme.service';
import { ProfileService } from './profile.service';

type DetailsField = 'firstName' | 'lastName' | 'email' | 'gender';
type PasswordField = 'currentPassword' | 'newPassword' | 'confirm';

const LABELS: Record<DetailsField | PasswordField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  gender: 'Gender',
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirm: 'Confirmation',
};

const GENDER_LABELS: Record<Gender, string> = {
  female: 'Female',
  male: 'Male',
  nonbinary: 'Non-binary',
  unspecified: 'Prefer not to say',
};

const THEME_LABELS: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const STRENGTH_LABELS = { weak: 'Weak', fair: 'Fair', good: 'Good', strong: 'Strong' } as const;

/**
 * The signed-in user's page of their own: names, e-mail and gender; a new password (the current
 * one first); and this device's colour theme. Each form says what went wrong at its fields and
 * moves the focus to the first of them; a success is shown and announced in the form's status line.
 * A picture of one's own is uploaded through the same path as a message's files, with its progress.
 */
@Component({
  selector: 'app-profile-page',
  imports: [ReactiveFormsModule, RouterLink, UserAvatar, NotificationSettings],
  providers: [ProfileService],
  templateUrl: './profile-page.html',
  styleUrl: './profile-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProfilePage {
  private readonly store = inject(SessionStore);
  private readonly profile = inject(ProfileService);
  protected readonly theme = inject(ThemeService);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);
  private readonly formBuilder = inject(NonNullableFormBuilder);
  private readonly shape = registerSchema.shape;
  private readonly uploads = inject(AttachmentUploads);
  private readonly connection = inject(Connection);
  private readonly avatarInput = viewChild<ElementRef<HTMLInputElement>>('avatarInput');

  protected readonly me = this.store.me;
  protected readonly fullName = fullName;
  protected readonly genders = GENDERS.map((value) => ({ value, label: GENDER_LABELS[value] }));
  protected readonly themes = THEME_PREFERENCES.map((value) => ({ value, label: THEME_LABELS[value] }));

  protected readonly details = this.formBuilder.group({
    firstName: [this.me().firstName, schemaValidator(this.shape.firstName)],
    lastName: [this.me().lastName, schemaValidator(this.shape.lastName)],
    email: [this.me().email, schemaValidator(this.shape.email)],
    gender: [this.me().gender, schemaValidator(this.shape.gender)],
  });
  protected readonly password = this.formBuilder.group({
    currentPassword: ['', (control: AbstractControl) => (control.value ? null : { schema: 'is required' })],
    newPassword: ['', (control: AbstractControl) => this.newPasswordProblem(control)],
    confirm: ['', matchesNewPassword],
  });

  protected readonly savingDetails = signal(false);
  protected readonly detailsError = signal<string | null>(null);
  protected readonly detailsStatus = signal('');
  /** The key of the picture being uploaded; null when none is. */
  private readonly avatarKey = signal<string | null>(null);
  protected readonly avatarUploading = computed(() => this.avatarKey() !== null);
  protected readonly avatarPercent = computed(() => {
    const key = this.avatarKey();
    return key ? percentDone(this.uploads.inFlight()[key]) : 0;
  });
  protected readonly avatarSaving = signal(false);
  protected readonly avatarError = signal<string | null>(null);
  protected readonly avatarStatus = signal('');
  protected readonly avatarLimit = fileSize(this.uploads.maxBytes);
  protected readonly savingPassword = signal(false);
  protected readonly passwordError = signal<string | null>(null);
  protected readonly passwordStatus = signal('');

  private readonly newPasswordValue = toSignal(this.password.controls.newPassword.valueChanges, { initialValue: '' });
  protected readonly strength = computed(() => {
    const value = this.newPasswordValue();
    if (!value) return null;
    const level = passwordStrength(value);
    return { level, label: STRENGTH_LABELS[level] };
  });

  constructor() {
    const { newPassword, confirm } = this.password.controls;
    newPassword.valueChanges.subscribe(() => confirm.updateValueAndValidity({ emitEvent: false }));
    this.details.valueChanges.subscribe(() => this.detailsStatus.set(''));
    this.password.valueChanges.subscribe(() => this.passwordStatus.set(''));
  }

  protected detailsFieldError(name: DetailsField): string | null {
    return fieldError(this.details.controls[name], name);
  }

  protected passwordFieldError(name: PasswordField): string | null {
    return fieldError(this.password.controls[name], name);
  }

  protected async saveDetails(): Promise<void> {
    if (this.savingDetails()) return;
    this.detailsStatus.set('');
    if (this.details.invalid) {
      this.refuse(this.details, this.detailsError);
      return;
    }
    const values = this.details.getRawValue();
    const me = this.me();
    const changes: UpdateProfileRequest = {};
    if (values.firstName.trim() !== me.firstName) changes.firstName = values.firstName;
    if (values.lastName.trim() !== me.lastName) changes.lastName = values.lastName;
    if (values.email.trim() !== me.email) changes.email = values.email.trim();
    if (values.gender !== me.gender) changes.gender = values.gender;
    if (Object.keys(changes).length === 0) {
      this.detailsError.set(null);
      this.detailsStatus.set('Nothing to save: your details are as they were.');
      return;
    }
    this.savingDetails.set(true);
    this.detailsError.set(null);
    try {
      const saved = await this.profile.update(changes);
      this.details.reset({ firstName: saved.firstName, lastName: saved.lastName, email: saved.email, gender: saved.gender });
      this.detailsStatus.set('Your details were saved.');
    } catch (error) {
      this.showFailure(error, this.details, this.detailsError, 'Your details could not be saved.');
    } finally {
      this.savingDetails.set(false);
    }
  }

  protected async changePassword(): Promise<void> {
    if (this.savingPassword()) return;
    this.passwordStatus.set('');
    if (this.password.invalid) {
      this.refuse(this.password, this.passwordError);
      return;
    }
    const { currentPassword, newPassword } = this.password.getRawValue();
    this.savingPassword.set(true);
    this.passwordError.set(null);
    try {
      await this.profile.changePassword({ currentPassword, newPassword });
      this.password.reset();
      this.passwordStatus.set('Your password was changed. Your other sessions were signed out.');
    } catch (error) {
      this.showFailure(error, this.password, this.passwordError, 'Your password could not be changed.');
    } finally {
      this.savingPassword.set(false);
    }
  }

  protected chooseAvatar(): void {
    this.avatarInput()?.nativeElement.click();
  }

  protected async onAvatarChosen(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.avatarStatus.set('');
    this.avatarError.set(null);
    if (likelyKind(file.type) !== 'image') {
      this.avatarError.set(`“${file.name}” is not a picture: choose a JPEG, PNG, WebP, GIF or AVIF file.`);
      return;
    }
    if (file.size > this.uploads.maxBytes) {
      this.avatarError.set(tooBig(file.name, this.uploads.maxBytes));
      return;
    }
    if (this.connection.state() !== 'online') {
      this.avatarError.set('You are offline. Upload your picture once the connection is back.');
      return;
    }
    const key = newClientId();
    this.avatarKey.set(key);
    try {
      await this.profile.setAvatar(key, file, file.name);
      this.avatarStatus.set('Your new picture was saved.');
    } catch (error) {
      if (error instanceof UploadCancelled) this.avatarStatus.set('The upload was cancelled; your picture is as it was.');
      else if (error instanceof UploadError) this.avatarError.set(error.problem.text.replace(/ It goes again.*$/, ' Try again.'));
      else this.avatarError.set(requestErrorText(error, 'Your picture could not be saved.'));
    } finally {
      if (this.avatarKey() === key) this.avatarKey.set(null);
    }
  }

  protected cancelAvatar(): void {
    const key = this.avatarKey();
    if (key) this.profile.cancelAvatar(key);
  }

  protected async removeAvatar(): Promise<void> {
    if (this.avatarSaving()) return;
    this.avatarSaving.set(true);
    this.avatarStatus.set('');
    this.avatarError.set(null);
    try {
      await this.profile.removeAvatar();
      this.avatarStatus.set('Your picture was removed; the default one shows again.');
    } catch (error) {
      this.avatarError.set(requestErrorText(error, 'Your picture could not be removed.'));
    } finally {
      this.avatarSaving.set(false);
    }
  }

  protected chooseTheme(preference: ThemePreference): void {
    this.theme.choose(preference);
  }

  private newPasswordProblem(control: AbstractControl): ValidationErrors | null {
    const problem = passwordProblem(String(control.value ?? ''), this.me().username);
    return problem ? { schema: problem } : null;
  }

  private refuse(form: FormGroup, formError: WritableSignal<string | null>): void {
    form.markAllAsTouched();
    formError.set('Please fix the highlighted fields.');
    focusFirstError(this.element, this.injector);
  }

  /** Puts the server's field errors at their fields (the message above the form for the rest) and focuses the first. */
  private showFailure(error: unknown, form: FormGroup, formError: WritableSignal<string | null>, fallback: string): void {
    const fields = error instanceof RequestError ? (error.fields ?? {}) : {};
    const unplaced: string[] = [];
    for (const [path, message] of Object.entries(fields)) {
      const name = path.split('.')[0] as DetailsField | PasswordField;
      const control = form.get(name);
      if (control) {
        control.setErrors({ ...(control.errors ?? {}), server: `${LABELS[name]} ${message}`.replace(/\.?$/, '.') });
        control.markAsTouched();
      } else unplaced.push(message);
    }
    if (error instanceof RequestError && error.code === 'wrong_password' && !fields['currentPassword']) {
      const control = form.get('currentPassword');
      control?.setErrors({ server: 'Current password is wrong.' });
      control?.markAsTouched();
    }
    const placed = Object.keys(fields).length > unplaced.length || (error instanceof RequestError && error.code === 'wrong_password');
    if (unplaced.length > 0) formError.set(unplaced.join(' '));
    else formError.set(placed ? 'Please fix the highlighted fields.' : requestErrorText(error, fallback));
    focusFirstError(this.element, this.injector);
  }
}

function matchesNewPassword(control: AbstractControl): ValidationErrors | null {
  if (!control.value) return { schema: 'is required' };
  return control.value === control.parent?.get('newPassword')?.value ? null : { mismatch: true };
}

/** The message under a field once the user typed in it or left it. */
function fieldError(control: AbstractControl, name: DetailsField | PasswordField): string | null {
  const errors = control.errors;
  if (!errors || !(control.dirty || control.touched)) return null;
  if (typeof errors['server'] === 'string') return errors['server'];
  if (errors['mismatch']) return 'Passwords do not match.';
  if (typeof errors['schema'] === 'string') return `${LABELS[name]} ${errors['schema']}.`;
  return `${LABELS[name]} is invalid.`;
}
