import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ChatSummary } from '@shared';
import { aChat, aMember, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { settle } from '../core/testing/wait';
import { GroupSettingsDialog } from './group-settings-dialog';

describe('GroupSettingsDialog', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  let fixture: ComponentFixture<GroupSettingsDialog>;
  let element: HTMLElement;
  let socket: FakeSocket;

  function aGroup(overrides: Partial<ChatSummary> = {}): ChatSummary {
    return aChat('group-1', [], {
      kind: 'group',
      name: 'Team Lunch',
      members: [aMember(me.id, { role: 'admin' }), aMember(bruno.id)],
      ...overrides,
    });
  }

  async function open(chat: ChatSummary, admin: boolean): Promise<void> {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    await signIn(socket, me, { users: [bruno], chats: [chat] });
    fixture = TestBed.createComponent(GroupSettingsDialog);
    fixture.componentRef.setInput('chat', chat);
    fixture.componentRef.setInput('admin', admin);
    element = fixture.nativeElement;
    await stable();
  }

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
  }

  const one = (testId: string) => element.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  it('tells a member who can see a private group, offers no switch, and no password to a private group', async () => {
    await open(aGroup(), false);
    expect(one('group-visibility')!.getAttribute('data-visibility')).toBe('private');
    expect(one('group-visibility')!.textContent).toContain('Only members and the people an admin adds can see this group');
    expect(one('group-visibility-switch')).toBeNull();
    expect(one('group-set-password')).toBeNull();
  });

  it('makes a private group public only after the admin confirms what that means', async () => {
    await open(aGroup(), true);
    expect(one('group-set-password')).toBeNull();
    one('group-visibility-switch')!.click();
    await stable();
    expect(one('group-visibility-question')!.textContent).toContain('read every message sent here so far');
    expect(socket.emitsOf('group:update')).toEqual([]);

    socket.respond('group:update', () => ({ ok: true, data: { chat: aGroup({ visibility: 'public' }) } }));
    one('group-visibility-confirm')!.click();
    await stable();
    expect(socket.emitsOf('group:update').map((e) => e.payload)).toEqual([{ chatId: 'group-1', visibility: 'public' }]);
  });

  it('removes the password in the same change when a password room is made private', async () => {
    await open(aGroup({ visibility: 'public', hasPassword: true }), true);
    expect(one('group-visibility')!.textContent).toContain('Anyone signed in to Parley can find this room');
    expect(one('group-set-password')).not.toBeNull();
    one('group-visibility-switch')!.click();
    await stable();
    expect(one('group-visibility-question')!.textContent).toContain('Its password is removed.');
    socket.respond('group:update', () => ({ ok: true, data: { chat: aGroup() } }));
    one('group-visibility-confirm')!.click();
    await stable();
    expect(socket.emitsOf('group:update').map((e) => e.payload)).toEqual([{ chatId: 'group-1', visibility: 'private', password: null }]);
  });
});
