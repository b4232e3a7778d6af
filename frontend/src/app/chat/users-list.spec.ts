import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { UsersList } from './users-list';

describe('UsersList', () => {
  let fixture: ComponentFixture<UsersList>;
  let element: HTMLElement;
  let socket: FakeSocket;

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    await signIn(socket, aSelfUser('ana'), {
      users: [
        aUser('bruno', { online: false, gender: 'male' }),
        aUser('carla', { gender: 'female', avatarUrl: 'https://cdn.example.test/carla.png' }),
      ],
    });
    fixture = TestBed.createComponent(UsersList);
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  const button = (username: string) => element.querySelector<HTMLButtonElement>(`[data-testid="user-${username}"]`);

  it('lists everyone else as avatar buttons, online first, with their pictures', () => {
    const ids = Array.from(element.querySelectorAll('[data-testid^="user-"]'))
      .map((b) => b.getAttribute('data-testid'))
      .filter((id) => id !== 'user-search');
    expect(ids).toEqual(['user-carla', 'user-bruno']);
    // The name comes from what the button shows (so voice control finds it by that), plus the presence.
    expect(button('carla')!.hasAttribute('aria-label')).toBeFalse();
    expect(button('carla')!.textContent!.replace(/\s+/g, '')).toBe('CarlaTester@carla,online');
    expect(button('bruno')!.textContent).toContain(', offline');
    expect(button('bruno')!.querySelector('img')!.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(button('carla')!.querySelector('img')!.getAttribute('src')).toBe('https://cdn.example.test/carla.png');
    expect(button('carla')!.querySelector('[data-testid="presence-dot"]')!.getAttribute('data-online')).toBe('true');
  });

  it('filters by name or username', async () => {
    const search = element.querySelector<HTMLInputElement>('[data-testid="user-search"]')!;
    search.value = 'brU';
    search.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(button('bruno')).not.toBeNull();
    expect(button('carla')).toBeNull();
  });

  it('emits the user to open and collects people for a group', async () => {
    const opened: string[] = [];
    fixture.componentInstance.openUser.subscribe((id) => opened.push(id));
    button('bruno')!.click();
    expect(opened).toEqual(['user-bruno']);

    element.querySelector<HTMLButtonElement>('[data-testid="select-carla"]')!.click();
    await fixture.whenStable();
    expect(fixture.componentInstance.selected()).toEqual(['user-carla']);
    expect(element.querySelector('[data-testid="select-carla"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(element.querySelector('[data-testid="start-group"]')).not.toBeNull();
  });

  it('is one Tab stop; the arrow keys move between people and to their + button', async () => {
    const inTabOrder = Array.from(element.querySelectorAll<HTMLElement>('.list button')).filter((b) => b.tabIndex === 0);
    expect(inTabOrder).toEqual([button('carla')!]);

    const key = (target: HTMLElement, name: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
    button('carla')!.focus();
    key(button('carla')!, 'ArrowDown');
    expect(document.activeElement).toBe(button('bruno'));
    key(button('bruno')!, 'ArrowRight');
    expect(document.activeElement!.getAttribute('data-testid')).toBe('select-bruno');
    key(document.activeElement as HTMLElement, 'ArrowUp');
    expect(document.activeElement!.getAttribute('data-testid')).toBe('select-carla');
    expect(Array.from(element.querySelectorAll<HTMLElement>('.list button')).filter((b) => b.tabIndex === 0)).toEqual([
      document.activeElement as HTMLElement,
    ]);
  });
});
