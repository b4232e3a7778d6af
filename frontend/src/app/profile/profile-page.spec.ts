import { HttpEventType } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aSelfUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { settle } from '../core/testing/wait';
import { SessionStore } from '../session/session-store';
import { THEME_STORAGE_KEY } from '../theme/theme-preference';
import { ProfilePage } from './profile-page';

describe('ProfilePage', () => {
  const me = aSelfUser('ana');
  let fixture: ComponentFixture<ProfilePage>;
  let element: HTMLElement;
  let socket: FakeSocket;
  let store: SessionStore;

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    store = (await signIn(socket, me)).get(SessionStore);
    fixture = TestBed.createComponent(ProfilePage);
    element = fixture.nativeElement;
    await stable();
  });

  afterEach(() => {
    localStorage.removeItem(THEME_STORAGE_KEY);
    delete document.documentElement.dataset['theme'];
  });

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
  }

  const one = (testId: string) => element.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  function type(testId: string, value: string): void {
    const input = one(testId) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('starts from the signed-in user’s details', () => {
    expect((one('profile-firstName') as HTMLInputElement).value).toBe(me.firstName);
    expect((one('profile-email') as HTMLInputElement).value).toBe(me.email);
    expect(element.textContent).toContain('@ana');
  });

  it('sends only what changed, and shows and announces that it was saved', async () => {
    const saved = { ...me, firstName: 'Anabel' };
    socket.respond('profile:update', () => ({ ok: true, data: saved }));
    type('profile-firstName', ' Anabel ');
    one('profile-save')!.click();
    await stable();
    expect(socket.emitsOf('profile:update').map((e) => e.payload)).toEqual([{ firstName: ' Anabel ' }]);
    expect(one('profile-status')!.getAttribute('role')).toBe('status');
    expect(one('profile-status')!.textContent).toContain('Your details were saved.');
    expect(store.me().firstName).toBe('Anabel');
  });

  it('checks the fields before sending and focuses the first wrong one', async () => {
    type('profile-firstName', '');
    type('profile-email', 'not-an-address');
    one('profile-save')!.click();
    await stable();
    expect(socket.emitsOf('profile:update')).toEqual([]);
    expect(one('error-firstName')!.textContent).toContain('First name is required');
    expect(one('error-email')).not.toBeNull();
    expect(document.activeElement).toBe(one('profile-firstName'));
  });

  it('puts the server’s field errors at their fields', async () => {
    socket.respond('profile:update', () => ({
      ok: false,
      error: { code: 'validation_failed', message: 'Invalid input', fields: { email: 'must be a valid email address' } },
    }));
    type('profile-email', 'ana@elsewhere.test');
    one('profile-save')!.click();
    await stable();
    expect(one('error-email')!.textContent).toContain('Email must be a valid email address.');
    expect(document.activeElement).toBe(one('profile-email'));
  });

  it('refuses a new password that breaks the policy before sending it', async () => {
    type('profile-currentPassword', 'Old-Password-1');
    type('profile-newPassword', 'short');
    type('profile-confirm', 'short');
    one('password-save')!.click();
    await stable();
    expect(socket.emitsOf('profile:password')).toEqual([]);
    expect(one('error-newPassword')!.textContent).toContain('at least 10 characters');
    expect(document.activeElement).toBe(one('profile-newPassword'));
  });

  it('a wrong current password is shown at its field, which takes the focus', async () => {
    socket.respond('profile:password', () => ({
      ok: false,
      error: { code: 'wrong_password', message: 'The current password is wrong', fields: { currentPassword: 'is wrong' } },
    }));
    type('profile-currentPassword', 'Not-The-Password-1');
    type('profile-newPassword', 'Brand-New-Secret-42');
    type('profile-confirm', 'Brand-New-Secret-42');
    one('password-save')!.click();
    await stable();
    expect(socket.emitsOf('profile:password').map((e) => e.payload)).toEqual([
      { currentPassword: 'Not-The-Password-1', newPassword: 'Brand-New-Secret-42' },
    ]);
    expect(one('error-currentPassword')!.textContent).toContain('Current password is wrong.');
    expect(document.activeElement).toBe(one('profile-currentPassword'));
  });

  it('a changed password empties the form and says the other sessions were signed out', async () => {
    socket.respond('profile:password', () => ({ ok: true, data: null }));
    type('profile-currentPassword', 'Old-Password-1');
    type('profile-newPassword', 'Brand-New-Secret-42');
    type('profile-confirm', 'Brand-New-Secret-42');
    one('password-save')!.click();
    await stable();
    expect(one('password-status')!.textContent).toContain('Your other sessions were signed out.');
    expect((one('profile-currentPassword') as HTMLInputElement).value).toBe('');
  });

  it('the theme choice applies at once and is kept on this device', async () => {
    (one('theme-dark') as HTMLInputElement).click();
    await stable();
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    (one('theme-system') as HTMLInputElement).click();
    await stable();
    expect(document.documentElement.hasAttribute('data-theme')).toBeFalse();
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  });

  describe('picture', () => {
    const choose = (file: File) => {
      const chooser = one('avatar-input') as HTMLInputElement;
      const transfer = new DataTransfer();
      transfer.items.add(file);
      chooser.files = transfer.files;
      chooser.dispatchEvent(new Event('change'));
    };

    it('uploads a picture as an avatar with its progress, then makes it the user’s picture', async () => {
      const http = TestBed.inject(HttpTestingController);
      const avatarUrl = `/avatars/${'a'.repeat(64)}.webp`;
      socket.respond('profile:update', (payload) => {
        expect(payload).toEqual({ avatarAttachmentId: 'att-1' });
        return { ok: true, data: { ...me, avatarUrl } };
      });
      expect(one('avatar-choose')!.textContent!.trim()).toBe('Upload a picture');
      expect(one('avatar-remove')).toBeNull();

      choose(new File(['png'], 'me.png', { type: 'image/png' }));
      await stable();
      const upload = http.expectOne('/api/uploads?purpose=avatar');
      upload.event({ type: HttpEventType.UploadProgress, loaded: 1, total: 4 });
      await stable();
      expect((one('avatar-progress') as HTMLProgressElement).value).toBe(25);
      expect((one('avatar-choose') as HTMLButtonElement).disabled).toBeTrue();

      upload.flush({ attachment: { id: 'att-1', name: 'me.png', size: 3, mime: 'image/png', kind: 'image', width: 1, height: 1 } }, { status: 201, statusText: 'Created' });
      await stable();
      expect(one('avatar-status')!.textContent!.trim()).toBe('Your new picture was saved.');
      expect(store.me().avatarUrl).toBe(avatarUrl);
      expect(element.querySelector('.identity img')!.getAttribute('src')).toBe(avatarUrl);
      expect(one('avatar-progress')).toBeNull();
      expect(one('avatar-remove')).not.toBeNull();
    });

    it('refuses a file that is not a picture, in plain words, without uploading it', async () => {
      choose(new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' }));
      await stable();
      expect(one('avatar-error')!.textContent!.trim()).toBe('“logo.svg” is not a picture: choose a JPEG, PNG, WebP, GIF or AVIF file.');
      TestBed.inject(HttpTestingController).expectNone('/api/uploads?purpose=avatar');
    });

    it('cancels an upload, leaving the picture as it was', async () => {
      choose(new File(['png'], 'me.png', { type: 'image/png' }));
      await stable();
      const upload = TestBed.inject(HttpTestingController).expectOne('/api/uploads?purpose=avatar');
      one('avatar-cancel')!.click();
      await stable();
      expect(upload.cancelled).toBeTrue();
      expect(one('avatar-status')!.textContent!.trim()).toBe('The upload was cancelled; your picture is as it was.');
      expect(socket.emitsOf('profile:update')).toEqual([]);
    });
  });
});
