import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './start-test-server.js';
import { closeAll, connectAs, connectEach, disconnected, ok, rawCall, textMessage, type ClientSocket } from './support/socket-client.js';
import { createUser, createUsers, type TestUser } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

type ErrorAck = { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

function errorCode(ack: unknown): string {
  assert.equal((ack as { ok: boolean }).ok, false, `expected an error ack, got ${JSON.stringify(ack)?.slice(0, 200)}`);
  return (ack as ErrorAck).error.code;
}

describe('bad input over the socket', () => {
  let t: TestServer;
  let ada: TestUser, ben: TestUser;
  let socket: ClientSocket, witness: ClientSocket;
  let chatId: string;

  /** What must stay unchanged whatever bad input arrives: ada's chats, the messages in her chat, the group list. */
  async function snapshot(): Promise<string> {
    const chats = (await ok(witness, 'chat:list', {})).chats.map((c) => c.id);
    const history = (await ok(witness, 'chat:history', { chatId, limit: 50 })).messages.map((m) => m.id);
    const rooms = (await ok(witness, 'group:search', { query: '' })).rooms.map((r) => r.id);
    return JSON.stringify({ chats, history, rooms });
  }

  before(async () => {
    t = await startTestServer({ MAX_SOCKET_PAYLOAD_BYTES: 200 * 1024 });
    [ada, ben] = await createUsers(t, 'ada', 'ben');
    [socket, witness] = await connectEach(t, ada, ada);
    chatId = (await ok(socket, 'chat:open', { userId: ben.user.id })).chat.id;
    await ok(socket, 'chat:message', textMessage(chatId, 'the only message'));
  });
  after(async () => {
    closeAll(socket, witness);
    await t.close();
  });

  test('wrong types and missing fields get validation_failed with the field named', async () => {
    const before = await snapshot();
    const cases: Array<[string, unknown, string]> = [
      ['chat:message', { chatId: 42, clientId: randomUUID(), body: 'x' }, 'chatId'],
      ['chat:message', { chatId, clientId: randomUUID(), body: ['x'] }, 'body'],
      ['chat:message', { chatId, body: 'no client id' }, 'clientId'],
      ['chat:message', {}, 'chatId'],
      ['chat:history', { chatId, limit: '10' }, 'limit'],
      ['chat:open', { userId: 'not-an-id' }, 'userId'],
      ['group:create', { name: '', memberIds: [] }, 'name'],
      ['group:create', { name: 'x', memberIds: 'everyone' }, 'memberIds'],
      ['group:create', { name: 'x', memberIds: [], password: 'abc' }, 'password'],
      ['chat:typing', { chatId, typing: 'yes' }, 'typing'],
      ['chat:read', { chatId }, 'upTo'],
      ['sync', { chats: { 'not-an-id': null } }, 'chats.not-an-id'],
      ['user:block', { userId: null }, 'userId'],
    ];
    for (const [event, payload, field] of cases) {
      const ack = await rawCall(socket, event, payload);
      assert.equal(errorCode(ack), 'validation_failed', event);
      const fields = (ack as ErrorAck).error.fields ?? {};
      assert.ok(Object.keys(fields).some((k) => k === field || k.startsWith(`${field}.`)), `${event}: ${JSON.stringify(fields)} should name ${field}`);
    }
    assert.equal(await snapshot(), before);
  });

  test('unknown keys, __proto__ and constructor included, are refused', async () => {
    const before = await snapshot();
    const payloads = [
      JSON.parse(`{"chatId":"${chatId}","clientId":"${randomUUID()}","body":"hi","__proto__":{"isAdmin":true}}`),
      JSON.parse(`{"chatId":"${chatId}","clientId":"${randomUUID()}","body":"hi","constructor":{"prototype":{"isAdmin":true}}}`),
      { chatId, clientId: randomUUID(), body: 'hi', senderId: ben.user.id },
    ];
    for (const payload of payloads) {
      const ack = await rawCall(socket, 'chat:message', payload);
      assert.equal(errorCode(ack), 'validation_failed');
      assert.match((ack as ErrorAck).error.message, /not allowed/);
    }
    const group = JSON.parse('{"name":"Proto","memberIds":[],"__proto__":{"passwordHash":"x"}}');
    assert.equal(errorCode(await rawCall(socket, 'group:create', group)), 'validation_failed');
    // In a record (sync's chatId -> lastId map) zod drops a `__proto__` key instead of refusing it: harmless.
    const synced = (await rawCall(socket, 'sync', JSON.parse('{"chats":{"__proto__":{"polluted":true}}}'))) as { ok: true; data: { chats: object } };
    assert.deepEqual(Object.keys(synced.data.chats), []);
    assert.equal(Object.getPrototypeOf(synced.data.chats), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(({} as Record<string, unknown>)['isAdmin'], undefined, 'no prototype was polluted');
    assert.equal(await snapshot(), before);
  });

  test('payloads that are not objects are refused', async () => {
    const before = await snapshot();
    for (const payload of ['a string', 42, true, null, [chatId, 'hi'], Buffer.from('binary')]) {
      const ack = await rawCall(socket, 'chat:message', payload);
      assert.equal(errorCode(ack), 'validation_failed', JSON.stringify(payload));
    }
    assert.equal(errorCode(await rawCall(socket, 'chat:message')), 'validation_failed', 'no payload at all');
    assert.equal(await snapshot(), before);
  });

  test('requests without an ack are ignored: nothing runs, nothing is stored', async () => {
    const before = await snapshot();
    const emit = socket.emit as (event: string, ...args: unknown[]) => void;
    emit.call(socket, 'chat:message', textMessage(chatId, 'no ack'));
    emit.call(socket, 'chat:message', textMessage(chatId, 'ack is not a function'), 'callback?');
    emit.call(socket, 'group:create', { name: 'Ackless', memberIds: [] });
    emit.call(socket, 'no:such:event', { anything: true }, () => assert.fail('unknown events are not answered'));
    await sleep(200);
    assert.equal(await snapshot(), before);
    await ok(socket, 'chat:list', {});
  });

  test('unknown chats and chats the user is not in are not_found', async () => {
    const [cleo, dan] = await createUsers(t, 'cleo', 'dan');
    const othersChat = (await t.server.storage.chats.openDirect(cleo.user.id, dan.user.id)).chat.id;
    const before = await snapshot();
    for (const target of ['01ARZ3NDEKTSV4RRFFQ69G5FAV', othersChat]) {
      assert.equal(errorCode(await rawCall(socket, 'chat:message', textMessage(target, 'hello?'))), 'not_found');
      assert.equal(errorCode(await rawCall(socket, 'chat:history', { chatId: target })), 'not_found');
      assert.equal(errorCode(await rawCall(socket, 'chat:get', { chatId: target })), 'not_found');
      assert.equal(errorCode(await rawCall(socket, 'group:update', { chatId: target, name: 'mine' })), 'not_found');
    }
    assert.deepEqual(await t.server.storage.messages.before(othersChat, null, 10), []);
    assert.equal(await snapshot(), before);
  });

  test('a 100 kB body gets a validation error; the connection stays', async () => {
    const before = await snapshot();
    const ack = await rawCall(socket, 'chat:message', textMessage(chatId, 'x'.repeat(100 * 1024)));
    assert.equal(errorCode(ack), 'validation_failed');
    assert.equal(socket.connected, true);
    assert.equal(await snapshot(), before);
  });

  test('a 1 MB frame closes that socket only; the server and other sockets carry on', async () => {
    const before = await snapshot();
    const victim = await connectAs(t, ada);
    const gone = disconnected(victim);
    (victim.emit as (event: string, ...args: unknown[]) => void).call(victim, 'chat:message', textMessage(chatId, 'x'.repeat(1024 * 1024)), () => {
      assert.fail('an oversized frame must not be answered');
    });
    assert.equal(await gone, 'transport close');
    assert.equal(await snapshot(), before);
    const fresh = await connectAs(t, ada);
    await ok(fresh, 'chat:list', {});
    closeAll(fresh);
  });
});

describe('the per-socket rate limit', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ SOCKET_EVENTS_PER_SECOND: 2, SOCKET_EVENTS_BURST: 5 });
  });
  after(() => t.close());

  test('a burst beyond the limit gets rate_limited; the budget refills', async () => {
    const ada = await createUser(t, 'ada');
    const socket = await connectAs(t, ada);
    const acks = await Promise.all(Array.from({ length: 12 }, () => rawCall(socket, 'chat:list', {})));
    const codes = acks.map((ack) => ((ack as { ok: boolean }).ok ? 'ok' : (ack as ErrorAck).error.code));
    assert.equal(codes.filter((c) => c === 'ok').length, 5);
    assert.equal(codes.filter((c) => c === 'rate_limited').length, 7);

    // Another socket of the same user has its own budget.
    const other = await connectAs(t, ada);
    await ok(other, 'chat:list', {});
    await sleep(1100);
    await ok(socket, 'chat:list', {});
    closeAll(socket, other);
  });
});
