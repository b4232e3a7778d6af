import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { AccessTokens } from '../src/accounts/access-tokens.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import {
  assertHeardNothing,
  authenticate,
  closeAll,
  connectAs,
  connectEach,
  connectSocket,
  disconnected,
  nextEvent,
  ok,
  QUIET_MS,
  recordEvents,
  textMessage,
  WAIT_MS,
} from './support/socket-client.js';
import { createUser, createUsers } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

describe('socket authentication', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ AUTH_TIMEOUT_MS: 400, MAX_SOCKETS_PER_USER: 2 });
  });
  after(() => t.close());

  test('socketio-auth finds nothing to hide in socket.io 4, so broadcast safety rests on rooms', () => {
    // socketio-auth walks `io.nsps` to delete unauthenticated sockets from `nsp.connected`.
    // socket.io 4 has neither: the walk does nothing (and cannot crash). If this ever changes,
    // revisit realtime/socket-auth.ts.
    const io = t.server.io as unknown as Record<string, unknown>;
    assert.equal(io['nsps'], undefined);
    assert.equal((t.server.io.of('/') as unknown as Record<string, unknown>)['connected'], undefined);
  });

  test('a valid token authenticates the socket and returns the own profile', async () => {
    const ada = await createUser(t, 'ada');
    const socket = await connectSocket(t);
    const { user, refusal } = await authenticate(socket, ada.token);
    assert.equal(refusal, undefined);
    assert.equal(user?.id, ada.user.id);
    assert.equal(user?.username, 'ada');
    assert.equal(user?.email, 'ada@example.test');
    assert.equal((user as unknown as Record<string, unknown>)['passwordHash'], undefined);
    const { chats } = await ok(socket, 'chat:list', {});
    assert.deepEqual(chats, []);
    closeAll(socket);
  });

  for (const [name, token] of [
    ['a forged token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ['an empty token', ''],
    ['a token that is not a string', 42],
  ] as const) {
    test(`${name} is refused with unauthorized and the socket is disconnected`, async () => {
      const socket = await connectSocket(t);
      const gone = disconnected(socket);
      const { user, refusal } = await authenticate(socket, token);
      assert.equal(user, undefined);
      assert.equal(typeof refusal, 'string');
      assert.ok(refusal!.length > 0);
      assert.equal(await gone, 'io server disconnect');
    });
  }

  test('a token signed with another secret is refused', async () => {
    const ada = await createUser(t, 'ada-other-secret');
    const foreign = await new AccessTokens('x'.repeat(48), 3600).issue(ada.user);
    const socket = await connectSocket(t);
    const { refusal } = await authenticate(socket, foreign);
    assert.equal(refusal, 'Invalid access token');
    await disconnected(socket);
  });

  test('a banned user is refused even with a valid token', async () => {
    const mallory = await createUser(t, 'mallory');
    await t.server.storage.users.update(mallory.user.id, { status: 'banned' });
    const socket = await connectSocket(t);
    const { refusal } = await authenticate(socket, mallory.token);
    assert.match(refusal ?? '', /banned/);
    await disconnected(socket);
  });

  test('a socket that does not authenticate in time is disconnected', async () => {
    const socket = await connectSocket(t);
    const started = Date.now();
    await disconnected(socket, WAIT_MS);
    assert.ok(Date.now() - started >= 300, 'disconnected too early');
  });

  test('a user may not open more than MAX_SOCKETS_PER_USER sockets', async () => {
    const ben = await createUser(t, 'ben');
    const [first, second] = await connectEach(t, ben, ben);
    const third = await connectSocket(t);
    const gone = disconnected(third);
    const { refusal } = await authenticate(third, ben.token);
    assert.match(refusal ?? '', /at most 2/);
    await gone;
    // The two admitted tabs keep working; closing one frees a place.
    await ok(first, 'chat:list', {});
    await ok(second, 'chat:list', {});
    const firstGone = disconnected(first);
    closeAll(first);
    await firstGone;
    await sleep(50);
    const replacement = await connectAs(t, ben);
    await ok(replacement, 'chat:list', {});
    closeAll(second, replacement);
  });

  test('a second authentication on the same socket changes nothing', async () => {
    const [cleo, dan] = await createUsers(t, 'cleo', 'dan');
    const socket = await connectAs(t, cleo);
    const events = recordEvents(socket);
    (socket.emit as (event: string, payload: unknown) => void)('authentication', { token: dan.token });
    await sleep(QUIET_MS);
    assert.deepEqual(events.map((e) => e.event), []);
    const { users } = await ok(socket, 'users:list', {});
    assert.ok(users.some((u) => u.id === cleo.user.id && u.online));
    assert.ok(users.some((u) => u.id === dan.user.id && !u.online), 'dan must not have become online through cleo\'s socket');
    closeAll(socket);
  });

  test('a token expiring later leaves the socket connected, but a new connection needs a fresh token', async () => {
    const eve = await createUser(t, 'eve');
    const shortLived = await new AccessTokens(t.config.JWT_SECRET, 1).issue(eve.user);
    const socket = await connectAs(t, { ...eve, token: shortLived });
    await sleep(2100);
    assert.equal(socket.connected, true);
    await ok(socket, 'chat:list', {});
    const late = await connectSocket(t);
    const { refusal } = await authenticate(late, shortLived);
    assert.equal(refusal, 'Access token expired');
    closeAll(socket, late);
  });

  test('ending a user\'s sessions tells every tab why and closes them, and no one else', async () => {
    const [fay, gus] = await createUsers(t, 'fay', 'gus');
    const [tab1, tab2, bystander] = await connectEach(t, fay, fay, gus);
    const ended = [nextEvent(tab1, 'session:ended'), nextEvent(tab2, 'session:ended')];
    const gone = [disconnected(tab1), disconnected(tab2)];
    t.server.live.disconnectUser(fay.user.id, 'banned');
    assert.deepEqual(await Promise.all(ended), [{ reason: 'banned' }, { reason: 'banned' }]);
    await Promise.all(gone);
    assert.equal(bystander.connected, true);
    await ok(bystander, 'chat:list', {});
    closeAll(bystander);
  });

  test('a browser from a foreign origin cannot connect; the same origin can', async () => {
    const foreign = io(t.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { Origin: 'http://evil.example' },
    });
    const error = await new Promise<Error | null>((resolve) => {
      foreign.once('connect', () => resolve(null));
      foreign.once('connect_error', (err) => resolve(err));
    });
    assert.ok(error, 'the foreign origin must be refused');
    foreign.disconnect();

    const same = io(t.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { Origin: t.url } });
    await new Promise<void>((resolve, reject) => {
      same.once('connect', () => resolve());
      same.once('connect_error', reject);
    });
    same.disconnect();
  });
});

describe('an unauthenticated socket', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ AUTH_TIMEOUT_MS: 2000 });
  });
  after(() => t.close());

  test('receives nothing and its requests have no effect', async () => {
    const [ada, ben] = await createUsers(t, 'ada', 'ben');
    const lurker = await connectSocket(t);
    const heard = recordEvents(lurker);

    // Everything that produces live events, while the lurker is connected.
    const [adaSocket, benSocket] = await connectEach(t, ada, ben);
    const opened = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
    const chatId = opened.chat.id;
    await ok(adaSocket, 'chat:typing', { chatId, typing: true });
    await ok(adaSocket, 'chat:message', textMessage(chatId, 'hello ben'));
    await ok(adaSocket, 'group:create', { name: 'Lounge', memberIds: [ben.user.id], visibility: 'public' });
    const extraTab = await connectAs(t, ben);
    closeAll(extraTab, benSocket);
    await nextEvent(adaSocket, 'presence', (p) => p.userId === ben.user.id && !p.online);

    // The lurker's own requests: nothing answers and nothing is stored.
    const unanswered: string[] = [];
    const emitUntyped = lurker.emit as (event: string, ...args: unknown[]) => void;
    emitUntyped.call(lurker, 'chat:message', textMessage(chatId, 'sneaky'), () => unanswered.push('chat:message'));
    emitUntyped.call(lurker, 'group:create', { name: 'Hijack', memberIds: [] }, () => unanswered.push('group:create'));
    emitUntyped.call(lurker, 'chat:list', {}, () => unanswered.push('chat:list'));
    await sleep(QUIET_MS);

    assertHeardNothing(heard);
    assert.deepEqual(unanswered, []);
    const history = await ok(adaSocket, 'chat:history', { chatId });
    assert.deepEqual(history.messages.map((m) => m.body), ['hello ben']);
    const { rooms } = await ok(adaSocket, 'group:search', { query: '' });
    assert.deepEqual(rooms.map((r) => r.name), ['Lounge']);
    closeAll(adaSocket, lurker);
  });
});
