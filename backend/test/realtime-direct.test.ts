import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './start-test-server.js';
import {
  assertHeardNothing,
  closeAll,
  connectAs,
  connectEach,
  failure,
  nextEvent,
  ok,
  QUIET_MS,
  recordEvents,
  textMessage,
} from './support/socket-client.js';
import { createUsers, type TestUser } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

describe('direct chats', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser, cleo: TestUser;
  before(async () => {
    t = await startTestServer();
    [ada, ben, cleo] = await createUsers(t, 'ada', 'ben', 'cleo');
  });
  after(() => t.close());

  test('the other user hears of a new chat only with its first message', async () => {
    const [adaSocket, benSocket] = await connectEach(t, ada, ben);
    const benHeard = recordEvents(benSocket);

    const opened = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
    assert.equal(opened.chat.kind, 'direct');
    assert.deepEqual(opened.chat.members.map((m) => m.userId).sort(), [ada.user.id, ben.user.id].sort());
    assert.deepEqual(opened.history, { messages: [], hasMore: false });
    await sleep(QUIET_MS);
    assertHeardNothing(benHeard, 'ben must hear nothing before the first message');
    assert.deepEqual((await ok(benSocket, 'chat:list', {})).chats, []);
    assert.deepEqual((await ok(adaSocket, 'chat:list', {})).chats.map((c) => c.id), [opened.chat.id]);

    const arrived = nextEvent(benSocket, 'chat:message', (m) => m.body === 'hi ben');
    const { message } = await ok(adaSocket, 'chat:message', textMessage(opened.chat.id, 'hi ben'));
    assert.equal((await arrived).id, message.id);
    assert.deepEqual(
      benHeard.map((e) => e.event),
      ['chat:created', 'chat:message'],
      'chat:created must come before the first message',
    );
    const created = benHeard[0]!.payload as { chat: { id: string; unreadCount: number; lastMessage: { id: string } } };
    assert.equal(created.chat.id, opened.chat.id);
    assert.equal(created.chat.unreadCount, 1);
    assert.equal(created.chat.lastMessage.id, message.id);

    // Ben's socket joined the room live: his reply reaches ada without a reconnect, and vice versa.
    const replyArrived = nextEvent(adaSocket, 'chat:message', (m) => m.body === 'hi ada');
    const reply = await ok(benSocket, 'chat:message', textMessage(opened.chat.id, 'hi ada'));
    assert.equal((await replyArrived).id, reply.message.id);
    const secondArrived = nextEvent(benSocket, 'chat:message', (m) => m.body === 'how are you');
    const second = await ok(adaSocket, 'chat:message', textMessage(opened.chat.id, 'how are you'));
    assert.equal((await secondArrived).id, second.message.id);
    assert.equal(benHeard.filter((e) => e.event === 'chat:created').length, 1);
    closeAll(adaSocket, benSocket);
  });

  test('there is exactly one chat per pair, even when both open it at once', async () => {
    const [dora, emil] = await createUsers(t, 'dora', 'emil');
    const [doraSocket, emilSocket] = await connectEach(t, dora, emil);
    const opens = await Promise.all([
      ok(doraSocket, 'chat:open', { userId: emil.user.id }),
      ok(emilSocket, 'chat:open', { userId: dora.user.id }),
      ok(doraSocket, 'chat:open', { userId: emil.user.id }),
      ok(emilSocket, 'chat:open', { userId: dora.user.id }),
    ]);
    const ids = new Set(opens.map((o) => o.chat.id));
    assert.equal(ids.size, 1);
    const stored = await t.server.storage.chats.findDirect(dora.user.id, emil.user.id);
    assert.equal(stored?.id, opens[0]!.chat.id);
    assert.equal((await t.server.storage.members.chatIdsOfUser(dora.user.id)).length, 1);
    closeAll(doraSocket, emilSocket);
  });

  test('a chat with oneself or with an unknown user cannot be opened', async () => {
    const socket = await connectAs(t, ada);
    assert.equal(await failure(socket, 'chat:open', { userId: ada.user.id }), 'validation_failed');
    assert.equal(await failure(socket, 'chat:open', { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }), 'not_found');
    closeAll(socket);
  });

  test('someone outside a direct chat can neither read, send, get, nor mark it', async () => {
    const [adaSocket, cleoSocket] = await connectEach(t, ada, cleo);
    const cleoHeard = recordEvents(cleoSocket);
    const { chat } = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
    const { message } = await ok(adaSocket, 'chat:message', textMessage(chat.id, 'private'));

    assert.equal(await failure(cleoSocket, 'chat:get', { chatId: chat.id }), 'not_found');
    assert.equal(await failure(cleoSocket, 'chat:history', { chatId: chat.id }), 'not_found');
    assert.equal(await failure(cleoSocket, 'chat:message', textMessage(chat.id, 'intruding')), 'not_found');
    assert.equal(await failure(cleoSocket, 'chat:read', { chatId: chat.id, upTo: message.id }), 'not_found');
    assert.equal(await failure(cleoSocket, 'chat:delivered', { chatId: chat.id, messageId: message.id }), 'not_found');
    assert.equal(await failure(cleoSocket, 'chat:delete', { chatId: chat.id }), 'not_found');
    assert.equal(await failure(cleoSocket, 'group:join', { chatId: chat.id }), 'not_found');
    assert.deepEqual((await ok(cleoSocket, 'sync', { chats: { [chat.id]: null } })).chats, {});
    assert.deepEqual((await ok(cleoSocket, 'chat:list', {})).chats, []);

    const history = await ok(adaSocket, 'chat:history', { chatId: chat.id, limit: 50 });
    assert.ok(!history.messages.some((m) => m.body === 'intruding'));
    await sleep(QUIET_MS);
    assertHeardNothing(cleoHeard);
    closeAll(adaSocket, cleoSocket);
  });

  test('a deleted chat is hidden for its deleter only, and comes back with the next message', async () => {
    const [fay, gus] = await createUsers(t, 'fay', 'gus');
    const [fayTab1, fayTab2, gusSocket] = await connectEach(t, fay, fay, gus);
    const { chat } = await ok(fayTab1, 'chat:open', { userId: gus.user.id });
    const firstArrived = nextEvent(gusSocket, 'chat:message', (m) => m.body === 'first');
    const first = await ok(fayTab1, 'chat:message', textMessage(chat.id, 'first'));
    assert.equal((await firstArrived).id, first.message.id);

    const removed = nextEvent(fayTab2, 'chat:removed');
    assert.equal(await ok(fayTab1, 'chat:delete', { chatId: chat.id }), null);
    assert.deepEqual(await removed, { chatId: chat.id });
    assert.deepEqual((await ok(fayTab1, 'chat:list', {})).chats, []);
    assert.deepEqual((await ok(gusSocket, 'chat:list', {})).chats.map((c) => c.id), [chat.id]);

    const fayHeard = recordEvents(fayTab2);
    const replyArrived = nextEvent(fayTab2, 'chat:message', (m) => m.body === 'still there?');
    const reply = await ok(gusSocket, 'chat:message', textMessage(chat.id, 'still there?'));
    assert.equal((await replyArrived).id, reply.message.id);
    assert.deepEqual(fayHeard.map((e) => e.event), ['chat:created', 'chat:message']);
    const listed = (await ok(fayTab1, 'chat:list', {})).chats;
    assert.deepEqual(listed.map((c) => c.id), [chat.id]);
    const history = await ok(fayTab1, 'chat:history', { chatId: chat.id });
    assert.deepEqual(history.messages.map((m) => m.body), ['first', 'still there?']);
    closeAll(fayTab1, fayTab2, gusSocket);
  });

  test('blocking stops direct messages both ways and nothing is stored', async () => {
    const [hal, ivy] = await createUsers(t, 'hal', 'ivy');
    const [halSocket, ivySocket] = await connectEach(t, hal, ivy);
    const { chat } = await ok(halSocket, 'chat:open', { userId: ivy.user.id });
    await ok(halSocket, 'chat:message', textMessage(chat.id, 'before the block'));

    assert.equal(await ok(ivySocket, 'user:block', { userId: hal.user.id }), null);
    assert.equal(await ok(ivySocket, 'user:block', { userId: hal.user.id }), null, 'blocking twice is harmless');
    assert.deepEqual(await ok(ivySocket, 'user:blocks', {}), { userIds: [hal.user.id] });
    assert.deepEqual(await ok(halSocket, 'user:blocks', {}), { userIds: [] });

    // A retry of a message stored before the block still answers with the original.
    const sentBefore = (await ok(halSocket, 'chat:history', { chatId: chat.id })).messages[0]!;
    const retried = await ok(halSocket, 'chat:message', textMessage(chat.id, 'before the block', sentBefore.clientId!));
    assert.equal(retried.message.id, sentBefore.id);

    const ivyHeard = recordEvents(ivySocket);
    assert.equal(await failure(halSocket, 'chat:message', textMessage(chat.id, 'let me in')), 'blocked');
    assert.equal(await failure(ivySocket, 'chat:message', textMessage(chat.id, 'go away')), 'blocked');
    await ok(halSocket, 'chat:typing', { chatId: chat.id, typing: true });
    await sleep(QUIET_MS);
    assertHeardNothing(ivyHeard);
    const during = await ok(halSocket, 'chat:history', { chatId: chat.id });
    assert.deepEqual(during.messages.map((m) => m.body), ['before the block']);

    assert.equal(await failure(ivySocket, 'user:block', { userId: ivy.user.id }), 'validation_failed');
    assert.equal(await failure(ivySocket, 'user:block', { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }), 'not_found');

    await ok(ivySocket, 'user:unblock', { userId: hal.user.id });
    assert.deepEqual(await ok(ivySocket, 'user:blocks', {}), { userIds: [] });
    const afterArrived = nextEvent(ivySocket, 'chat:message', (m) => m.body === 'friends again');
    const after = await ok(halSocket, 'chat:message', textMessage(chat.id, 'friends again'));
    assert.equal((await afterArrived).id, after.message.id);
    closeAll(halSocket, ivySocket);
  });
});
