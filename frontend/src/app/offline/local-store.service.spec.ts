import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ChatActions } from '../chats/chat-actions.service';
import { Connection } from '../connection/connection.service';
import { aChat, aMessage, aSelfUser, aUser, tokens } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, serveSession, signIn } from '../core/testing/signed-in';
import { nextRequest, nextTask, settle } from '../core/testing/wait';
import { Outbox } from '../outbox/outbox.service';
import { MessageActions } from '../timeline/message-actions.service';
import { AuthService } from '../session/auth.service';
import { SessionScope } from '../session/session-scope';
import { SessionStore } from '../session/session-store';
import { Drafts } from './drafts.service';
import { LocalAccounts } from './local-accounts';
import { LOCAL_DATABASE_PREFIX, lastUserKey, localDatabaseName } from './local-database';
import { LocalRestore } from './local-restore.service';
import { LocalStore } from './local-store.service';

let databases = 0;

/** Waits, in real time, until `condition` holds (IndexedDB answers in tasks, not microtasks). */
async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await settle();
    await nextTask();
  }
}

/** Like `until`, for a condition IndexedDB answers. */
async function untilStored(condition: () => Promise<boolean>, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await nextTask();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return (await indexedDB.databases()).some((db) => db.name === name);
}

describe('LocalStore (real IndexedDB)', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const chat = aChat(chatId, [me.id, bruno.id]);
  const history = [aMessage(chatId, 1, bruno.id, { body: 'hi Ana' }), aMessage(chatId, 2, me.id, { body: 'hi Bruno' })];
  let socket: FakeSocket;
  let http: HttpTestingController;
  let prefix: string;

  beforeEach(() => {
    socket = new FakeSocket();
    prefix = `parley-spec-${Date.now()}-${++databases}`;
    TestBed.configureTestingModule({ providers: [...chatTestProviders(socket), { provide: LOCAL_DATABASE_PREFIX, useValue: prefix }] });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(async () => {
    TestBed.inject(SessionScope).end();
    await TestBed.inject(LocalAccounts).forget(me.id);
    http.verify();
  });

  /** Signed in, what was kept shown, and the chat with Bruno loaded. */
  async function signedInWithHistory() {
    const session = await signIn(socket, me, { users: [bruno], chats: [chat] });
    await session.get(LocalRestore).done;
    socket.respond('chat:get', () => ({ ok: true, data: { chat, history: { messages: history, hasMore: false } } }));
    await session.get(ChatActions).openChat(chatId);
    return session;
  }

  /** A reload without a network: the refresh cannot reach the server; the app starts from what was kept. */
  async function reloadOffline() {
    // The page goes away: what waits for its delay (snapshot, drafts) is written now.
    window.dispatchEvent(new Event('pagehide'));
    TestBed.inject(SessionScope).end();
    socket.connected = false;
    socket.emitted.length = 0;
    const started = TestBed.inject(AuthService).ensureSession();
    const refresh = await nextRequest(http, '/api/auth/refresh');
    refresh.error(new ProgressEvent('error'), { status: 0, statusText: 'Unknown Error' });
    expect(await started).toBeTrue();
    const session = TestBed.inject(SessionScope).injector()!;
    await session.get(LocalRestore).done;
    return session;
  }

  it('starts offline after a reload with the chats, people, history, drafts and outbox kept, then sends the queue with the same clientId', async () => {
    const session = await signedInWithHistory();
    socket.serverDrop();
    session.get(Outbox).send(chatId, 'sent while offline');
    session.get(Drafts).set('chat-other', 'half a thought');
    const clientId = session.get(SessionStore).timelines()[chatId]!.list.at(-1)!.clientId!;
    await until(() => !session.get(Outbox).unsaved(), 'the outbox entry to be kept');
    await session.get(LocalStore).flush();

    const offline = await reloadOffline();
    const store = offline.get(SessionStore);
    expect(store.me()).toEqual(me);
    expect(offline.get(Connection).state()).not.toBe('online');
    expect(store.chats().map((c) => c.id)).toEqual([chatId]);
    expect(store.users().map((u) => [u.username, u.online])).toEqual([['bruno', false]]);
    const list = store.timelines()[chatId]!.list;
    expect(list.map((m) => [m.body, m.local])).toEqual([
      ['hi Ana', undefined],
      ['hi Bruno', undefined],
      ['sent while offline', 'pending'],
    ]);
    expect(list[2]!.clientId).toBe(clientId);
    expect(offline.get(Drafts).textOf('chat-other')).toBe('half a thought');

    // The network is back: the first access token comes from the cookie, then the socket authenticates.
    serveSession(socket, me, { users: [bruno], chats: [chat] });
    socket.respond('chat:message', (payload) => ({
      ok: true,
      data: { message: aMessage(chatId, 3, me.id, { clientId: payload.clientId, body: payload.body }) },
    }));
    socket.serverConnect();
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
    await until(() => socket.emitsOf('authentication').length > 0, 'the authentication');
    expect(socket.emitsOf('authentication')[0]!.payload).toEqual({ token: 'access-2' });
    socket.serverEmit('authenticated', me);
    await until(() => socket.emitsOf('chat:message').length > 0, 'the queued message to go out');
    expect(socket.emitsOf('chat:message').map((e) => e.payload)).toEqual([{ chatId, clientId, body: 'sent while offline' }]);
    // Catching up started from the kept watermark, not from nothing.
    expect(socket.emitsOf('sync')[0]!.payload.chats).toEqual({ [chatId]: history[1]!.id });
    await until(() => store.timelines()[chatId]!.list.every((m) => !m.local), 'the ack');
    await untilStored(async () => (await offline.get(LocalStore).load()).outbox.length === 0, 'the sent entry deleted');
  });

  it('replays a change queued offline once after a reload, on top of the kept message', async () => {
    const session = await signedInWithHistory();
    socket.serverDrop();
    session.get(MessageActions).edit(chatId, history[1]!.id, 'hi Bruno, edited');
    await until(() => !session.get(Outbox).unsaved(), 'the change to be kept');

    const offline = await reloadOffline();
    const store = offline.get(SessionStore);
    const shown = store.timelines()[chatId]!.list[1]!;
    expect([shown.body, shown.pendingChange]).toEqual(['hi Bruno, edited', 'edit']);

    serveSession(socket, me, { users: [bruno], chats: [chat] });
    const edited = aMessage(chatId, 2, me.id, { body: 'hi Bruno, edited', editedAt: new Date().toISOString(), changeSeq: 1 });
    socket.respond('message:edit', () => ({ ok: true, data: { message: edited } }));
    socket.serverConnect();
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
    await until(() => socket.emitsOf('authentication').length > 0, 'the authentication');
    socket.serverEmit('authenticated', me);
    await until(() => store.timelines()[chatId]!.list[1]!.pendingChange === undefined, 'the ack of the edit');
    expect(socket.emitsOf('message:edit').map((e) => e.payload)).toEqual([{ chatId, messageId: history[1]!.id, body: 'hi Bruno, edited' }]);
    await untilStored(async () => (await offline.get(LocalStore).load()).outbox.length === 0, 'the change deleted from the browser');
  });

  it('keeps a refused message, marked, until it is deleted', async () => {
    const session = await signedInWithHistory();
    socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
    session.get(Outbox).send(chatId, 'are you there?');
    await until(() => session.get(SessionStore).timelines()[chatId]!.list.at(-1)!.local === 'failed', 'the refusal');
    const clientId = session.get(SessionStore).timelines()[chatId]!.list.at(-1)!.clientId!;
    await untilStored(async () => (await session.get(LocalStore).load()).outbox.some((e) => e.type === 'message' && !!e.failed), 'the refusal kept');
    const kept = await session.get(LocalStore).load();
    expect(kept.outbox.map((e) => [e.key, e.type === 'message' ? e.failed : null])).toEqual([[clientId, 'You cannot message this user.']]);

    const offline = await reloadOffline();
    const failed = offline.get(SessionStore).timelines()[chatId]!.list.at(-1)!;
    expect([failed.body, failed.local, failed.error]).toEqual(['are you there?', 'failed', 'You cannot message this user.']);
    offline.get(Outbox).discardFailed(chatId, clientId);
    expect(offline.get(SessionStore).timelines()[chatId]!.list.some((m) => m.clientId === clientId)).toBeFalse();
    await untilStored(async () => (await offline.get(LocalStore).load()).outbox.length === 0, 'the entry deleted');
  });

  it('sends a refused message again as a new message on Retry', async () => {
    const session = await signedInWithHistory();
    socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
    session.get(Outbox).send(chatId, 'try me');
    const store = session.get(SessionStore);
    await until(() => store.timelines()[chatId]!.list.at(-1)!.local === 'failed', 'the refusal');
    const first = store.timelines()[chatId]!.list.at(-1)!.clientId!;
    socket.respond('chat:message', (payload) => ({
      ok: true,
      data: { message: aMessage(chatId, 3, me.id, { clientId: payload.clientId, body: payload.body }) },
    }));
    session.get(Outbox).retryFailed(chatId, first);
    await until(() => socket.emitsOf('chat:message').length === 2, 'the retry');
    const retry = socket.emitsOf('chat:message')[1]!.payload;
    expect(retry.body).toBe('try me');
    expect(retry.clientId).not.toBe(first);
    await until(() => store.timelines()[chatId]!.list.at(-1)!.seq === 3, 'the ack');
    expect(store.timelines()[chatId]!.list.filter((m) => m.body === 'try me').length).toBe(1);
  });

  it('asks before the page unloads only while something queued is not kept yet', async () => {
    // Karma takes a real beforeunload for a reload of its page: the spec calls the listener itself.
    const listen = spyOn(window, 'addEventListener').and.callThrough();
    const unlisten = spyOn(window, 'removeEventListener').and.callThrough();
    const listeners = (spy: jasmine.Spy) => spy.calls.allArgs().filter(([type]) => type === 'beforeunload').map(([, listener]) => listener);
    const session = await signedInWithHistory();
    socket.serverDrop();
    expect(listeners(listen)).toEqual([]);

    session.get(Outbox).send(chatId, 'not kept yet');
    expect(session.get(Outbox).unsaved()).toBeTrue();
    const [listener] = listeners(listen);
    const event = new Event('beforeunload', { cancelable: true });
    (listener as (event: Event) => void)(event);
    expect(event.defaultPrevented).toBeTrue();

    await until(() => !session.get(Outbox).unsaved(), 'the entry kept');
    expect(listeners(unlisten)).toContain(listener);
    const later = new Event('beforeunload', { cancelable: true });
    (listener as (event: Event) => void)(later);
    expect(later.defaultPrevented).toBeFalse();
  });

  it('deletes everything kept for the user when they sign out', async () => {
    await signedInWithHistory();
    await until(() => localStorage.getItem(lastUserKey(prefix)) === me.id, 'the user remembered');
    expect(await databaseExists(localDatabaseName(prefix, me.id))).toBeTrue();
    expect((await TestBed.inject(LocalAccounts).cachedProfile())?.id).toBe(me.id);

    const logout = TestBed.inject(AuthService).logout();
    http.expectOne('/api/auth/logout').flush({});
    await logout;
    expect(await databaseExists(localDatabaseName(prefix, me.id))).toBeFalse();
    expect(localStorage.getItem(lastUserKey(prefix))).toBeNull();
    expect(await TestBed.inject(LocalAccounts).cachedProfile()).toBeNull();
  });

  it('goes to the login page and deletes what was kept when the server refuses the session at load', async () => {
    await signedInWithHistory();
    TestBed.inject(SessionScope).end();
    const started = TestBed.inject(AuthService).ensureSession();
    (await nextRequest(http, '/api/auth/refresh')).flush({ error: { code: 'unauthorized', message: 'Session expired' } }, { status: 401, statusText: 'Unauthorized' });
    expect(await started).toBeFalse();
    expect(TestBed.inject(SessionScope).injector()).toBeNull();
    expect(await databaseExists(localDatabaseName(prefix, me.id))).toBeFalse();
  });

  it('ends an offline-started session, and deletes what was kept, when the cookie turns out to be someone else’s', async () => {
    await signedInWithHistory();
    const offline = await reloadOffline();
    expect(offline.get(SessionStore).chats().length).toBe(1);
    socket.serverConnect();
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(aSelfUser('bruno'), 2));
    await until(() => TestBed.inject(SessionScope).injector() === null, 'the session to end');
    expect(socket.emitsOf('authentication')).toEqual([]);
    await untilStored(async () => !(await databaseExists(localDatabaseName(prefix, me.id))), 'the database deleted');
  });

  it('starts no offline session when nothing is kept', async () => {
    const started = TestBed.inject(AuthService).ensureSession();
    (await nextRequest(http, '/api/auth/refresh')).error(new ProgressEvent('error'), { status: 0, statusText: 'Unknown Error' });
    expect(await started).toBeFalse();
  });
});
