import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aChat, aSelfUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { settle } from '../core/testing/wait';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { JoinRoomDialog } from './join-room-dialog';

describe('JoinRoomDialog', () => {
  let fixture: ComponentFixture<JoinRoomDialog>;
  let element: HTMLElement;
  let socket: FakeSocket;

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    await signIn(socket, aSelfUser('ana'));
    socket.respond('group:search', () => ({
      ok: true,
      data: { rooms: [{ id: 'room-1', name: 'Night owls', hasPassword: true, memberCount: 4, isMember: false }] },
    }));
    fixture = TestBed.createComponent(JoinRoomDialog);
    element = fixture.nativeElement;
    await stable();
  });

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
  }

  const one = (testId: string) => element.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  async function tryPassword(password: string): Promise<void> {
    one('room-result')!.click();
    await stable();
    const input = one('room-password') as HTMLInputElement;
    input.value = password;
    input.dispatchEvent(new Event('input'));
    await stable();
    one('join-submit')!.click();
    await stable();
  }

  it('says that only public rooms are listed, and that private groups need an admin to add you', async () => {
    expect(one('room-search-hint')!.textContent).toContain('Only public rooms are listed');
    expect(one('room-search-hint')!.textContent).toContain('ask one of its admins to add you');
    socket.respond('group:search', () => ({ ok: true, data: { rooms: [] } }));
    const input = one('room-search') as HTMLInputElement;
    input.value = 'Team Lunch';
    input.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    await stable();
    expect(element.querySelectorAll('[data-testid="room-result"]').length).toBe(0);
    expect(one('room-search-empty')!.textContent).toContain('No public rooms match “Team Lunch”.');
  });

  it('puts the focus in the password field when a protected room is picked', async () => {
    document.body.appendChild(element);
    one('room-result')!.click();
    await stable();
    expect(document.activeElement).toBe(one('room-password'));
    element.remove();
  });

  it('asks for the password of a protected room and reports a wrong one', async () => {
    expect(one('join-room-dialog')).not.toBeNull();
    socket.respond('group:join', () => ({ ok: false, error: { code: 'wrong_password', message: 'Wrong password' } }));
    await tryPassword('guess');
    expect(socket.emitsOf('group:join').map((e) => e.payload)).toEqual([{ chatId: 'room-1', password: 'guess' }]);
    expect(one('join-error')!.textContent).toContain('Wrong room password.');
  });

  it('reports throttling', async () => {
    socket.respond('group:join', () => ({
      ok: false,
      error: { code: 'rate_limited', message: 'Try again in 60 s.' },
    }));
    await tryPassword('guess');
    expect(one('join-error')!.textContent).toContain('Too many attempts. Try again in 60 s.');
  });

  it('joins with the right password', async () => {
    const joined: string[] = [];
    fixture.componentInstance.joined.subscribe((id) => joined.push(id));
    socket.respond('group:join', () => ({
      ok: true,
      data: { chat: aChat('room-1', [], { kind: 'group', name: 'Night owls' }), history: { messages: [], hasMore: false } },
    }));
    await tryPassword('owls-only');
    expect(joined).toEqual(['room-1']);
  });
});
