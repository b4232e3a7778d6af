import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './start-test-server.js';
import {
  assertHeardNothing,
  closeAll,
  connectAs,
  connectEach,
  disconnected,
  failure,
  nextEvent,
  ok,
  QUIET_MS,
  recordEvents,
  type ClientSocket,
} from './support/socket-client.js';
import { createUser, createUsers, type TestUser } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

async function close(socket: ClientSocket): Promise<void> {
  const gone = disconnected(socket);
  socket.disconnect();
  await gone;
}

describe('presence', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser;
  let adaSocket: ClientSocket;
  before(async () => {
    t = await startTestServer();
    [ada, ben] = await createUsers(t, 'ada', 'ben');
    adaSocket = await connectAs(t, ada);
  });
  after(async () => {
    closeAll(adaSocket);
    await t.close();
  });

  test('a user is online from the first tab to the last; others hear only those two changes', async () => {
    const heard = recordEvents(adaSocket);
    const online = nextEvent(adaSocket, 'presence', (p) => p.userId === ben.user.id);
    const benTab1 = await connectAs(t, ben);
    assert.deepEqual(await online, { userId: ben.user.id, online: true });
    const benTab2 = await connectAs(t, ben);
    let users = (await ok(adaSocket, 'users:list', {})).users;
    assert.equal(users.find((u) => u.id === ben.user.id)?.online, true);

    await close(benTab1);
    await sleep(QUIET_MS);
    users = (await ok(adaSocket, 'users:list', {})).users;
    assert.equal(users.find((u) => u.id === ben.user.id)?.online, true, 'still online in the second tab');

    const offline = nextEvent(adaSocket, 'presence', (p) => p.userId === ben.user.id && !p.online);
    await close(benTab2);
    await offline;
    users = (await ok(adaSocket, 'users:list', {})).users;
    assert.equal(users.find((u) => u.id === ben.user.id)?.online, false);
    assert.deepEqual(
      heard.filter((e) => e.event === 'presence').map((e) => e.payload),
      [
        { userId: ben.user.id, online: true },
        { userId: ben.user.id, online: false },
      ],
    );
  });

  test('users:list shows every active user with public fields only', async () => {
    const banned = await createUser(t, 'banned-user');
    await t.server.storage.users.update(banned.user.id, { status: 'banned' });
    const { users } = await ok(adaSocket, 'users:list', {});
    assert.deepEqual(users.map((u) => u.username), ['ada', 'ben']);
    assert.equal(users.find((u) => u.id === ada.user.id)?.online, true);
    for (const user of users) {
      assert.deepEqual(Object.keys(user).sort(), ['avatarUrl', 'createdAt', 'firstName', 'gender', 'id', 'lastName', 'online', 'username']);
    }
  });
});

describe('typing', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser, cleo: TestUser;
  let chatId: string;
  before(async () => {
    t = await startTestServer();
    [ada, ben, cleo] = await createUsers(t, 'ada', 'ben', 'cleo');
    const socket = await connectAs(t, ada);
    chatId = (await ok(socket, 'group:create', { name: 'Typists', memberIds: [ben.user.id] })).chat.id;
    closeAll(socket);
  });
  after(() => t.close());

  test('typing reaches the other members, not the typing socket, and ends when told', async () => {
    const [adaSocket, benSocket] = await connectEach(t, ada, ben);
    const adaHeard = recordEvents(adaSocket);
    const started = nextEvent(benSocket, 'chat:typing');
    await ok(adaSocket, 'chat:typing', { chatId, typing: true });
    assert.deepEqual(await started, { chatId, userId: ada.user.id, typing: true });

    // Renewing does not repeat the event.
    const benHeard = recordEvents(benSocket);
    await ok(adaSocket, 'chat:typing', { chatId, typing: true });
    const stopped = nextEvent(benSocket, 'chat:typing', (p) => !p.typing);
    await ok(adaSocket, 'chat:typing', { chatId, typing: false });
    assert.deepEqual(await stopped, { chatId, userId: ada.user.id, typing: false });
    assert.deepEqual(benHeard.map((e) => e.payload), [{ chatId, userId: ada.user.id, typing: false }]);
    assert.deepEqual(adaHeard.filter((e) => e.event === 'chat:typing'), []);
    closeAll(adaSocket, benSocket);
  });

  test('the ack of chat:typing is optional', async () => {
    const [adaSocket, benSocket] = await connectEach(t, ada, ben);
    const started = nextEvent(benSocket, 'chat:typing', (p) => p.typing);
    adaSocket.emit('chat:typing', { chatId, typing: true });
    await started;
    const stopped = nextEvent(benSocket, 'chat:typing', (p) => !p.typing);
    adaSocket.emit('chat:typing', { chatId, typing: false });
    await stopped;
    closeAll(adaSocket, benSocket);
  });

  test('the server ends typing when the typing socket disconnects', async () => {
    const [adaSocket, benSocket] = await connectEach(t, ada, ben);
    const started = nextEvent(benSocket, 'chat:typing', (p) => p.typing);
    await ok(adaSocket, 'chat:typing', { chatId, typing: true });
    await started;
    const stopped = nextEvent(benSocket, 'chat:typing', (p) => !p.typing);
    adaSocket.disconnect();
    assert.deepEqual(await stopped, { chatId, userId: ada.user.id, typing: false });
    closeAll(benSocket);
  });

  test('the server ends typing after 5 s without renewal', async () => {
    const [adaSocket, benSocket] = await connectEach(t, ada, ben);
    const started = nextEvent(benSocket, 'chat:typing', (p) => p.typing);
    await ok(adaSocket, 'chat:typing', { chatId, typing: true });
    await started;
    const since = Date.now();
    await nextEvent(benSocket, 'chat:typing', (p) => !p.typing, 7000);
    const waited = Date.now() - since;
    assert.ok(waited >= 4500 && waited < 6500, `typing ended after ${waited} ms`);
    closeAll(adaSocket, benSocket);
  });

  test('a non-member cannot type in a chat', async () => {
    const [cleoSocket, benSocket] = await connectEach(t, cleo, ben);
    const benHeard = recordEvents(benSocket);
    assert.equal(await failure(cleoSocket, 'chat:typing', { chatId, typing: true }), 'not_found');
    await sleep(QUIET_MS);
    assertHeardNothing(benHeard);
    closeAll(cleoSocket, benSocket);
  });
});
