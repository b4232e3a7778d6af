import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ChatVisibility } from '@shared';
import { aChat, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { settle } from '../core/testing/wait';
import { CreateGroupDialog } from './create-group-dialog';

describe('CreateGroupDialog', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  let fixture: ComponentFixture<CreateGroupDialog>;
  let element: HTMLElement;
  let socket: FakeSocket;

  async function open(members: typeof bruno[], initialVisibility?: ChatVisibility): Promise<void> {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    await signIn(socket, me, { users: [bruno] });
    fixture = TestBed.createComponent(CreateGroupDialog);
    fixture.componentRef.setInput('members', members);
    if (initialVisibility) fixture.componentRef.setInput('initialVisibility', initialVisibility);
    element = fixture.nativeElement;
    await stable();
  }

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
  }

  const one = (testId: string) => element.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  function type(testId: string, value: string): void {
    const input = one(testId) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  async function submit(): Promise<void> {
    one('create-group-submit')!.click();
    await stable();
  }

  it('is a private group by default, says who can see it, and asks for no password', async () => {
    await open([bruno]);
    expect(element.querySelector('h2')!.textContent!.trim()).toBe('New group');
    expect((one('group-visibility-private') as HTMLInputElement).checked).toBeTrue();
    expect((one('group-visibility-public') as HTMLInputElement).checked).toBeFalse();
    expect(one('group-visibility-hint')!.textContent).toContain('Only the people you add can see this group');
    expect(one('group-password')).toBeNull();

    type('group-name', 'Team Lunch');
    socket.respond('group:create', () => ({ ok: true, data: { chat: aChat('g1', [me.id, bruno.id], { kind: 'group', name: 'Team Lunch' }) } }));
    await submit();
    expect(socket.emitsOf('group:create').map((e) => e.payload)).toEqual([{ name: 'Team Lunch', memberIds: [bruno.id], visibility: 'private' }]);
  });

  it('becomes a public room only when chosen, and then says that anyone can find it and read its history', async () => {
    await open([bruno]);
    one('group-visibility-public')!.click();
    await stable();
    expect(element.querySelector('h2')!.textContent!.trim()).toBe('New room');
    expect(one('group-visibility-hint')!.textContent).toContain(
      'Anyone signed in to Parley can find this room by its name and read its whole history once they join.',
    );
    type('group-name', 'Open Lunch');
    type('group-password', 'lunch-time');
    socket.respond('group:create', () => ({ ok: true, data: { chat: aChat('g2', [me.id, bruno.id], { kind: 'group', visibility: 'public' }) } }));
    await submit();
    expect(socket.emitsOf('group:create').map((e) => e.payload)).toEqual([
      { name: 'Open Lunch', memberIds: [bruno.id], visibility: 'public', password: 'lunch-time' },
    ]);
  });

  it('drops a password typed for a room when the choice goes back to private', async () => {
    await open([], 'public');
    expect((one('group-visibility-public') as HTMLInputElement).checked).toBeTrue();
    type('group-name', 'Quiet corner');
    type('group-password', 'abc');
    one('group-visibility-private')!.click();
    await stable();
    expect(one('group-password')).toBeNull();
    expect(one('room-alone-hint')!.textContent).toContain('add people later');
    socket.respond('group:create', () => ({ ok: true, data: { chat: aChat('g3', [me.id], { kind: 'group' }) } }));
    await submit();
    // The too-short room password does not block a private group, and is not sent.
    expect(socket.emitsOf('group:create').map((e) => e.payload)).toEqual([{ name: 'Quiet corner', memberIds: [], visibility: 'private' }]);
  });

  it('keeps a public room with a bad password from being sent', async () => {
    await open([], 'public');
    type('group-name', 'Night Owls');
    type('group-password', 'abc');
    await submit();
    expect(socket.emitsOf('group:create')).toEqual([]);
    expect(element.textContent).toContain('Password must be at least 4 characters.');
  });

  it('moves the focus to the first error when creating fails', async () => {
    await open([], 'public');
    type('group-name', 'Night Owls');
    type('group-password', 'abc');
    one('create-group-submit')!.focus();
    await submit();
    expect(document.activeElement).toBe(one('group-password'));

    // Refused by the server: the focus goes to the message that says why.
    type('group-password', 'owls-at-night');
    socket.respond('group:create', () => ({ ok: false, error: { code: 'rate_limited', message: 'Slow down.' } }));
    one('create-group-submit')!.focus();
    await submit();
    expect(one('create-group-error')).not.toBeNull();
    expect(document.activeElement).toBe(one('create-group-error'));
  });
});
