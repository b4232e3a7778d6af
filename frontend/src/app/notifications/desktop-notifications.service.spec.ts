import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ChatNavigator } from '../chat/chat-navigator.service';
import { aChat, aMessage, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { settle, until } from '../core/testing/wait';
import { AuthService } from '../session/auth.service';

/** The browser's Notification, recorded: what was shown, what was closed (the only stand-in here: headless Chromium shows none). */
class RecordedNotification extends EventTarget {
  static permission: NotificationPermission = 'granted';
  static shown: RecordedNotification[] = [];
  static requestPermission = () => Promise.resolve<NotificationPermission>('granted');
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions = {},
  ) {
    super();
    RecordedNotification.shown.push(this);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dispatchEvent(new Event('close'));
  }
}

describe('DesktopNotifications', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const carla = aUser('carla');
  const original = window.Notification;
  let socket: FakeSocket;

  beforeEach(() => {
    RecordedNotification.shown = [];
    (window as { Notification: unknown }).Notification = RecordedNotification;
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
  });
  afterEach(() => {
    (window as { Notification: unknown }).Notification = original;
  });

  async function signedIn() {
    return signIn(socket, me, {
      users: [bruno, carla],
      chats: [
        aChat('chat-ab', [me.id, bruno.id], { lastMessage: aMessage('chat-ab', 1, bruno.id) }),
        aChat('chat-owls', [me.id, bruno.id, carla.id], { kind: 'group', name: 'Owls', lastMessage: aMessage('chat-owls', 1, carla.id) }),
        aChat('chat-quiet', [me.id, carla.id], { notify: 'muted', lastMessage: aMessage('chat-quiet', 1, carla.id) }),
      ],
    });
  }

  it('shows a direct message from someone, replaces it with the next one of that chat, and opens the chat on a click', async () => {
    const session = await signedIn();
    const openChat = spyOn(session.get(ChatNavigator), 'openChat');

    socket.serverEmit('chat:message', aMessage('chat-ab', 2, bruno.id, { body: 'Are you **there**?' }));
    await until(() => RecordedNotification.shown.length >= 1);
    const first = RecordedNotification.shown.at(-1)!;
    expect(RecordedNotification.shown.length).toBe(1);
    expect(first.title).toBe('Bruno Tester');
    expect(first.options.body).toBe('Are you there?');
    expect(first.options.tag).toBe('parley-chat-ab');

    socket.serverEmit('chat:message', aMessage('chat-ab', 3, bruno.id, { body: 'Hello?' }));
    await until(() => RecordedNotification.shown.length >= 2);
    expect(RecordedNotification.shown.length).toBe(2);
    expect(first.closed).toBeTrue();

    const second = RecordedNotification.shown[1]!;
    second.dispatchEvent(new Event('click'));
    expect(openChat).toHaveBeenCalledOnceWith('chat-ab');
    expect(second.closed).toBeTrue();
  });

  it('shows a group message only when it mentions me, and nothing from a muted chat or from me', async () => {
    await signedIn();
    socket.serverEmit('chat:message', aMessage('chat-owls', 2, carla.id, { body: 'lunch?' }));
    socket.serverEmit('chat:message', aMessage('chat-quiet', 2, carla.id, { body: 'psst' }));
    socket.serverEmit('chat:message', aMessage('chat-ab', 2, me.id, { body: 'from another tab of mine' }));
    // Long enough for a notification to appear (the Markdown chunk it waits for loads in well under this).
    await new Promise((resolve) => setTimeout(resolve, 500));
    await settle();
    expect(RecordedNotification.shown).toEqual([]);

    socket.serverEmit('chat:message', aMessage('chat-owls', 3, carla.id, { body: `<@${me.id}> lunch?`, mentions: [me.id] }));
    await until(() => RecordedNotification.shown.length >= 1);
    expect(RecordedNotification.shown.map((n) => n.title)).toEqual(['Carla Tester mentioned you in Owls']);
  });

  it('closes what it showed at sign-out', async () => {
    await signedIn();
    socket.serverEmit('chat:message', aMessage('chat-ab', 2, bruno.id, { body: 'bye' }));
    await until(() => RecordedNotification.shown.length >= 1);
    expect(RecordedNotification.shown.length).toBe(1);
    const done = TestBed.inject(AuthService).logout();
    TestBed.inject(HttpTestingController).expectOne('/api/auth/logout').flush({});
    await done;
    await settle();
    expect(RecordedNotification.shown[0]!.closed).toBeTrue();
  });
});
