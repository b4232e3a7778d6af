import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './start-test-server.js';
import {
  call,
  closeAll,
  connectAs,
  connectEach,
  disconnected,
  failure,
  nextEvent,
  ok,
  QUIET_MS,
  recordEvents,
  textMessage,
  type ClientSocket,
} from './support/socket-client.js';
import { createUser, createUsers, type TestUser } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

/** Stores `count` messages straight through the storage port (the same path the use case persists through). */
async function seed(t: TestServer, chatId: string, senderId: string, count: number, prefix = 'm'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const message = await t.server.storage.messages.append({
      chatId,
      kind: 'text',
      senderId,
      clientId: randomUUID(),
      body: `${prefix}${i}`,
      notice: null,
    });
    ids.push(message.id);
  }
  return ids;
}

describe('sending messages', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser;
  let adaTab1: ClientSocket, adaTab2: ClientSocket, benSocket: ClientSocket;
  let chatId: string;
  before(async () => {
    t = await startTestServer();
    [ada, ben] = await createUsers(t, 'ada', 'ben');
    [adaTab1, adaTab2, benSocket] = await connectEach(t, ada, ada, ben);
    chatId = (await ok(adaTab1, 'chat:open', { userId: ben.user.id })).chat.id;
    await ok(adaTab1, 'chat:message', textMessage(chatId, 'opening line'));
  });
  after(async () => {
    closeAll(adaTab1, adaTab2, benSocket);
    await t.close();
  });

  test('a message is stored, acknowledged, and sent to the room: the other member and the sender\'s other tabs, not back to its own socket', async () => {
    const tab1Heard = recordEvents(adaTab1);
    const onTab2 = nextEvent(adaTab2, 'chat:message', (m) => m.body === 'Hello there');
    const onBen = nextEvent(benSocket, 'chat:message', (m) => m.body === 'Hello there');
    const { message } = await ok(adaTab1, 'chat:message', textMessage(chatId, '   Hello there \n'));
    assert.equal(message.body, 'Hello there', 'the body is trimmed');
    assert.equal(message.senderId, ada.user.id);
    assert.equal(message.kind, 'text');
    assert.equal(message.chatId, chatId);
    assert.deepEqual(await onTab2, message);
    assert.deepEqual(await onBen, message);
    const stored = await t.server.storage.messages.byId(message.id);
    assert.equal(stored?.body, 'Hello there');
    await sleep(QUIET_MS);
    assert.deepEqual(tab1Heard.filter((e) => e.event === 'chat:message'), []);
  });

  test('seq increases strictly with every message', async () => {
    const first = await ok(benSocket, 'chat:message', textMessage(chatId, 'one'));
    const second = await ok(adaTab1, 'chat:message', textMessage(chatId, 'two'));
    assert.equal(second.message.seq, first.message.seq + 1);
  });

  test('a retry with the same clientId answers with the original message, stored and sent once', async () => {
    const clientId = randomUUID();
    const benHeard = recordEvents(benSocket);
    const first = await ok(adaTab1, 'chat:message', textMessage(chatId, 'only once', clientId));
    const retry = await ok(adaTab1, 'chat:message', textMessage(chatId, 'only once', clientId));
    const retryFromOtherTab = await ok(adaTab2, 'chat:message', textMessage(chatId, 'only once, edited', clientId));
    assert.deepEqual(retry.message, first.message);
    assert.deepEqual(retryFromOtherTab.message, first.message);
    await sleep(QUIET_MS);
    assert.equal(benHeard.filter((e) => e.event === 'chat:message').length, 1);
    const history = await ok(benSocket, 'chat:history', { chatId, limit: 50 });
    assert.equal(history.messages.filter((m) => m.clientId === clientId).length, 1);
  });

  test('simultaneous retries of one send store a single message', async () => {
    const clientId = randomUUID();
    const acks = await Promise.all([
      ok(adaTab1, 'chat:message', textMessage(chatId, 'racing', clientId)),
      ok(adaTab2, 'chat:message', textMessage(chatId, 'racing', clientId)),
      ok(adaTab1, 'chat:message', textMessage(chatId, 'racing', clientId)),
    ]);
    assert.equal(new Set(acks.map((a) => a.message.id)).size, 1);
    const history = await ok(adaTab1, 'chat:history', { chatId, limit: 50 });
    assert.equal(history.messages.filter((m) => m.clientId === clientId).length, 1);
  });

  test('a clientId reused in another chat is a conflict, not a retry', async () => {
    const cleo = await createUser(t, 'cleo');
    const otherChat = (await ok(adaTab1, 'chat:open', { userId: cleo.user.id })).chat.id;
    const clientId = randomUUID();
    await ok(adaTab1, 'chat:message', textMessage(chatId, 'here', clientId));
    assert.equal(await failure(adaTab1, 'chat:message', textMessage(otherChat, 'there', clientId)), 'conflict');
    assert.deepEqual((await ok(adaTab1, 'chat:history', { chatId: otherChat })).messages, []);
  });

  test('bodies must hold 1 to 4000 characters after trimming', async () => {
    assert.equal(await failure(adaTab1, 'chat:message', textMessage(chatId, '')), 'validation_failed');
    assert.equal(await failure(adaTab1, 'chat:message', textMessage(chatId, ' \n\t ')), 'validation_failed');
    assert.equal(await failure(adaTab1, 'chat:message', textMessage(chatId, 'x'.repeat(4001))), 'validation_failed');
    const longest = await ok(adaTab1, 'chat:message', textMessage(chatId, 'y'.repeat(4000)));
    assert.equal(longest.message.body.length, 4000);
    const padded = await ok(adaTab1, 'chat:message', textMessage(chatId, `  ${'z'.repeat(4000)}  `));
    assert.equal(padded.message.body.length, 4000);
  });

  test('the clientId must be a UUID', async () => {
    const ack = await call(adaTab1, 'chat:message', { chatId, clientId: 'not-a-uuid', body: 'hi' });
    assert.equal(ack.ok, false);
    if (!ack.ok) assert.equal(ack.error.fields?.['clientId'], 'must be a UUID');
  });
});

describe('history', () => {
  let t: TestServer;
  let ada: TestUser;
  let socket: ClientSocket;
  const chats: Record<string, string> = {};
  const ids: Record<string, string[]> = {};
  before(async () => {
    t = await startTestServer();
    ada = await createUser(t, 'ada');
    socket = await connectAs(t, ada);
    for (const [name, count] of [['empty', 0], ['ten', 10], ['eleven', 11], ['many', 25]] as const) {
      const other = await createUser(t, `with-${name}`);
      chats[name] = (await ok(socket, 'chat:open', { userId: other.user.id })).chat.id;
      ids[name] = await seed(t, chats[name]!, ada.user.id, count);
    }
  });
  after(async () => {
    closeAll(socket);
    await t.close();
  });

  test('an empty chat has an empty page', async () => {
    assert.deepEqual(await ok(socket, 'chat:history', { chatId: chats['empty']! }), { messages: [], hasMore: false });
  });

  test('the first page holds the newest 10, oldest first', async () => {
    const page = await ok(socket, 'chat:history', { chatId: chats['many']! });
    assert.deepEqual(page.messages.map((m) => m.body), ['m16', 'm17', 'm18', 'm19', 'm20', 'm21', 'm22', 'm23', 'm24', 'm25']);
    assert.equal(page.hasMore, true);
  });

  test('paging back with `before` walks the whole history without gaps or repeats', async () => {
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await ok(socket, 'chat:history', { chatId: chats['many']!, ...(before && { before }) });
      pages++;
      seen.unshift(...page.messages.map((m) => m.body));
      if (!page.hasMore) break;
      before = page.messages[0]!.id;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `m${i + 1}`));
  });

  test('exactly one page: hasMore is false; one more message: true, and the next page holds just it', async () => {
    const ten = await ok(socket, 'chat:history', { chatId: chats['ten']! });
    assert.equal(ten.messages.length, 10);
    assert.equal(ten.hasMore, false);

    const eleven = await ok(socket, 'chat:history', { chatId: chats['eleven']! });
    assert.equal(eleven.messages.length, 10);
    assert.equal(eleven.hasMore, true);
    const rest = await ok(socket, 'chat:history', { chatId: chats['eleven']!, before: eleven.messages[0]!.id });
    assert.deepEqual(rest.messages.map((m) => m.body), ['m1']);
    assert.equal(rest.hasMore, false);
    const beforeFirst = await ok(socket, 'chat:history', { chatId: chats['eleven']!, before: ids['eleven']![0]! });
    assert.deepEqual(beforeFirst, { messages: [], hasMore: false });
  });

  test('limit may be 1 to 50', async () => {
    const one = await ok(socket, 'chat:history', { chatId: chats['many']!, limit: 1 });
    assert.deepEqual(one.messages.map((m) => m.body), ['m25']);
    const fifty = await ok(socket, 'chat:history', { chatId: chats['many']!, limit: 50 });
    assert.equal(fifty.messages.length, 25);
    assert.equal(fifty.hasMore, false);
    assert.equal(await failure(socket, 'chat:history', { chatId: chats['many']!, limit: 51 }), 'validation_failed');
    assert.equal(await failure(socket, 'chat:history', { chatId: chats['many']!, limit: 0 }), 'validation_failed');
    assert.equal(await failure(socket, 'chat:history', { chatId: chats['many']!, limit: 2.5 }), 'validation_failed');
  });

  test('a `before` cursor from another chat, or unknown, is not_found', async () => {
    assert.equal(await failure(socket, 'chat:history', { chatId: chats['many']!, before: ids['ten']![5]! }), 'not_found');
    assert.equal(await failure(socket, 'chat:history', { chatId: chats['many']!, before: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }), 'not_found');
  });
});

describe('sync after being away', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser;
  before(async () => {
    t = await startTestServer();
    [ada, ben] = await createUsers(t, 'ada', 'ben');
  });
  after(() => t.close());

  test('messages sent while a user was disconnected all arrive through sync, in order, once', async () => {
    const adaSocket = await connectAs(t, ada);
    let benSocket = await connectAs(t, ben);
    const { chat } = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
    const seen = nextEvent(benSocket, 'chat:message', (m) => m.body === 'before');
    await ok(adaSocket, 'chat:message', textMessage(chat.id, 'before'));
    const lastSeen = await seen;

    const gone = disconnected(benSocket);
    benSocket.disconnect();
    await gone;
    const missed: string[] = [];
    for (const body of ['while away 1', 'while away 2', 'while away 3']) {
      missed.push((await ok(adaSocket, 'chat:message', textMessage(chat.id, body))).message.id);
    }
    const group = await ok(adaSocket, 'group:create', { name: 'Made while away', memberIds: [ben.user.id] });

    benSocket = await connectAs(t, ben);
    const result = await ok(benSocket, 'sync', { chats: { [chat.id]: lastSeen.id } });
    assert.deepEqual(Object.keys(result.chats), [chat.id]);
    assert.deepEqual(result.chats[chat.id]!.messages.map((m) => m.id), missed);
    assert.equal(result.chats[chat.id]!.hasMore, false);
    assert.deepEqual(result.summaries.map((s) => s.id).sort(), [chat.id, group.chat.id].sort());

    // Synced up: nothing more, and live messages flow again after the reconnect.
    const again = await ok(benSocket, 'sync', { chats: { [chat.id]: missed[2]! } });
    assert.deepEqual(again.chats[chat.id], { messages: [], hasMore: false, changes: [], changeSeq: 0, hasMoreChanges: false });
    const live = nextEvent(benSocket, 'chat:message', (m) => m.body === 'welcome back');
    await ok(adaSocket, 'chat:message', textMessage(chat.id, 'welcome back'));
    await live;
    closeAll(adaSocket, benSocket);
  });

  test('sync pages at 200 per chat; null gives the latest page; chats one is not in are absent', async () => {
    const cleo = await createUser(t, 'cleo');
    const adaSocket = await connectAs(t, ada);
    const { chat } = await ok(adaSocket, 'chat:open', { userId: cleo.user.id });
    const ids = await seed(t, chat.id, cleo.user.id, 205);
    const outsider = await createUser(t, 'outsider');
    const foreignChat = (await t.server.storage.chats.openDirect(cleo.user.id, outsider.user.id)).chat.id;

    const first = await ok(adaSocket, 'sync', { chats: { [chat.id]: ids[2]!, [foreignChat]: null } });
    assert.deepEqual(Object.keys(first.chats), [chat.id]);
    assert.equal(first.chats[chat.id]!.messages.length, 200);
    assert.equal(first.chats[chat.id]!.messages[0]!.id, ids[3]);
    assert.equal(first.chats[chat.id]!.hasMore, true);
    const lastOfFirst = first.chats[chat.id]!.messages.at(-1)!.id;
    const second = await ok(adaSocket, 'sync', { chats: { [chat.id]: lastOfFirst } });
    assert.deepEqual(second.chats[chat.id]!.messages.map((m) => m.id), ids.slice(203));
    assert.equal(second.chats[chat.id]!.hasMore, false);

    const fresh = await ok(adaSocket, 'sync', { chats: { [chat.id]: null } });
    assert.deepEqual(fresh.chats[chat.id]!.messages.map((m) => m.id), ids.slice(-10));
    assert.equal(fresh.chats[chat.id]!.hasMore, true);
    closeAll(adaSocket);
  });
});
