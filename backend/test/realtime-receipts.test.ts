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
  type ClientSocket,
} from './support/socket-client.js';
import { createUser, createUsers, type TestUser } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

describe('receipts and unread counts', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser;
  let adaSocket: ClientSocket, benTab1: ClientSocket, benTab2: ClientSocket;
  before(async () => {
    t = await startTestServer();
    [ada, ben] = await createUsers(t, 'ada', 'ben');
    [adaSocket, benTab1, benTab2] = await connectEach(t, ada, ben, ben);
  });
  after(async () => {
    closeAll(adaSocket, benTab1, benTab2);
    await t.close();
  });

  test('✓ stored, ✓✓ delivered, then read: the sender sees each step once', async () => {
    const { chat } = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
    const { message } = await ok(adaSocket, 'chat:message', textMessage(chat.id, 'did you get this?'));
    assert.ok(message.seq > 0, 'the ack carries the stored message (✓)');

    const delivered = nextEvent(adaSocket, 'chat:receipt', (r) => r.status === 'delivered');
    assert.equal(await ok(benTab1, 'chat:delivered', { chatId: chat.id, messageId: message.id }), null);
    assert.deepEqual(await delivered, { chatId: chat.id, messageId: message.id, seq: message.seq, userId: ben.user.id, status: 'delivered', readAt: null });

    // The same position again moves nothing and sends nothing.
    const adaHeard = recordEvents(adaSocket);
    await ok(benTab2, 'chat:delivered', { chatId: chat.id, messageId: message.id });
    await sleep(QUIET_MS);
    assertHeardNothing(adaHeard);

    const read = nextEvent(adaSocket, 'chat:receipt', (r) => r.status === 'read');
    const otherTab = nextEvent(benTab2, 'chat:receipt', (r) => r.status === 'read');
    await ok(benTab1, 'chat:read', { chatId: chat.id, upTo: message.id });
    const readReceipt = await read;
    assert.equal(readReceipt.messageId, message.id);
    assert.equal((await otherTab).userId, ben.user.id, 'ben\'s other tab learns the chat was read');
    assert.ok(readReceipt.readAt !== null && !Number.isNaN(Date.parse(readReceipt.readAt)), 'a read receipt carries when it was read');

    // A sender reconnecting sees the same ticks through the members' positions.
    const adaAgain = await connectAs(t, ada);
    const summary = (await ok(adaAgain, 'chat:list', {})).chats.find((c) => c.id === chat.id)!;
    const benMember = summary.members.find((m) => m.userId === ben.user.id)!;
    assert.equal(benMember.deliveredSeq, message.seq);
    assert.equal(benMember.readSeq, message.seq);
    assert.equal(benMember.readAt, readReceipt.readAt, 'the member record keeps the time of the read');
    assert.equal(summary.members.find((m) => m.userId === ada.user.id)?.readAt, null, 'ada has read nothing');
    closeAll(adaAgain);
  });

  test('positions never move back', async () => {
    const { chat } = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
    const first = await ok(adaSocket, 'chat:message', textMessage(chat.id, 'one'));
    const second = await ok(adaSocket, 'chat:message', textMessage(chat.id, 'two'));
    await ok(benTab1, 'chat:read', { chatId: chat.id, upTo: second.message.id });
    const adaHeard = recordEvents(adaSocket);
    await ok(benTab1, 'chat:read', { chatId: chat.id, upTo: first.message.id });
    await ok(benTab1, 'chat:delivered', { chatId: chat.id, messageId: first.message.id });
    await sleep(QUIET_MS);
    assertHeardNothing(adaHeard);
    const member = await t.server.storage.members.get(chat.id, ben.user.id);
    assert.equal(member?.readSeq, second.message.seq);
  });

  test('unread counts count others\' messages after the read position, per chat', async () => {
    const cleo = await createUser(t, 'cleo');
    const cleoSocket = await connectAs(t, cleo);
    const direct = (await ok(cleoSocket, 'chat:open', { userId: ben.user.id })).chat.id;
    const group = (await ok(cleoSocket, 'group:create', { name: 'Counting', memberIds: [ben.user.id] })).chat.id;
    const sent = [];
    for (const body of ['a', 'b', 'c']) sent.push((await ok(cleoSocket, 'chat:message', textMessage(direct, body))).message);
    await ok(cleoSocket, 'chat:message', textMessage(group, 'in the group'));
    await ok(benTab1, 'chat:message', textMessage(direct, 'my own message does not count'));

    const unread = async () => {
      const { chats } = await ok(benTab1, 'chat:list', {});
      return Object.fromEntries(chats.filter((c) => c.id === direct || c.id === group).map((c) => [c.id, c.unreadCount]));
    };
    // The group: its `created` notice and one message.
    assert.deepEqual(await unread(), { [direct]: 3, [group]: 2 });
    await ok(benTab1, 'chat:read', { chatId: direct, upTo: sent[1]!.id });
    assert.deepEqual(await unread(), { [direct]: 1, [group]: 2 });
    await ok(benTab1, 'chat:read', { chatId: direct, upTo: sent[2]!.id });
    assert.deepEqual(await unread(), { [direct]: 0, [group]: 2 });
    const cleoView = (await ok(cleoSocket, 'chat:get', { chatId: direct })).chat;
    assert.equal(cleoView.unreadCount, 1, 'ben\'s message is unread for cleo');
    closeAll(cleoSocket);
  });

  test('receipts name a message of the chat, and only members may send them', async () => {
    const dan = await createUser(t, 'dan');
    const danSocket = await connectAs(t, dan);
    const { chat } = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
    const { message } = await ok(adaSocket, 'chat:message', textMessage(chat.id, 'for ben only'));
    const other = (await ok(adaSocket, 'chat:open', { userId: dan.user.id })).chat;
    const foreign = await ok(adaSocket, 'chat:message', textMessage(other.id, 'for dan'));

    assert.equal(await failure(benTab1, 'chat:read', { chatId: chat.id, upTo: foreign.message.id }), 'not_found');
    assert.equal(await failure(benTab1, 'chat:delivered', { chatId: chat.id, messageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }), 'not_found');
    assert.equal(await failure(danSocket, 'chat:read', { chatId: chat.id, upTo: message.id }), 'not_found');
    assert.equal(await failure(danSocket, 'chat:delivered', { chatId: chat.id, messageId: message.id }), 'not_found');
    const benMember = await t.server.storage.members.get(chat.id, ben.user.id);
    assert.ok(benMember);
    assert.equal(benMember.readSeq < message.seq, true);
    closeAll(danSocket);
  });
});
