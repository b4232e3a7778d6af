/**
 * One budget of writes per user, whatever the transport: REST routes and socket events take
 * from the same counter (WRITES_PER_SECOND / WRITES_BURST), and with Redis every process does.
 * The window here is long (burst 6 at 1 per second: 6 s), so that no test depends on timing.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { assertApiError } from './support/api-error-assertions.js';
import { redisForTests, type RunningRedis } from './support/redis-server.js';
import { restAs, type SignedInUser } from './support/rest-users.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { authenticatedSocket, call, closeAll, textMessage, type ClientSocket } from './support/socket-client.js';
import { createUsers, seedUsers, type TestUser } from './support/stored-users.js';
import { startTestServer, type TestServer } from './start-test-server.js';

const BURST = 6;
const BUDGET = { WRITES_PER_SECOND: 1, WRITES_BURST: BURST };

function asSignedIn(user: TestUser): SignedInUser {
  return { id: user.user.id, username: user.user.username, accessToken: user.token };
}

/** A group of `members` made by `host` (whose budget it spends, not theirs). */
async function groupOf(url: string, host: TestUser, members: TestUser[]): Promise<string> {
  const res = await restAs(url, asSignedIn(host)).post('/api/groups').send({ name: `room ${randomUUID().slice(0, 8)}`, memberIds: members.map((m) => m.user.id) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return (res.body as { chat: { id: string } }).chat.id;
}

function restSend(url: string, user: TestUser, chatId: string) {
  return restAs(url, asSignedIn(user)).post(`/api/chats/${chatId}/messages`).send({ clientId: randomUUID(), body: 'hello' });
}

describe('one write budget per user, REST and sockets together', () => {
  let t: TestServer;
  const sockets: ClientSocket[] = [];

  before(async () => {
    t = await startTestServer(BUDGET);
  });

  after(async () => {
    closeAll(...sockets);
    await t.close();
  });

  test('a REST flood is refused with 429 and Retry-After once the budget is spent, and stores nothing more', async () => {
    const [host, flooder] = await createUsers(t, 'host1', 'flooder1');
    const chatId = await groupOf(t.url, host, [flooder]);
    const statuses: number[] = [];
    for (let index = 0; index < BURST + 4; index += 1) {
      const res = await restSend(t.url, flooder, chatId);
      statuses.push(res.status);
      if (res.status === 429) {
        assertApiError(res, 429, 'rate_limited');
        const retryAfter = Number(res.headers['retry-after']);
        assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 6, `Retry-After ${res.headers['retry-after']}`);
      }
    }
    assert.deepEqual(statuses, [...Array<number>(BURST).fill(201), 429, 429, 429, 429]);
    // Reads are not writes: history still answers, and shows exactly the stored messages.
    const history = await restAs(t.url, asSignedIn(flooder)).get(`/api/chats/${chatId}/messages?limit=50`);
    assert.equal(history.status, 200);
    const bodies = (history.body as { messages: Array<{ senderId: string; body: string }> }).messages.filter((m) => m.senderId === flooder.user.id);
    assert.equal(bodies.length, BURST);
    // Other writes share the budget: blocking someone is refused too.
    const block = await restAs(t.url, asSignedIn(flooder)).post(`/api/users/${host.user.id}/block`).send({});
    assertApiError(block, 429, 'rate_limited');
    // Someone else's budget is untouched.
    assert.equal((await restSend(t.url, host, chatId)).status, 201);
  });

  test('a budget spent over REST refuses the socket too', async () => {
    const [host, ann] = await createUsers(t, 'host2', 'ann2');
    const chatId = await groupOf(t.url, host, [ann]);
    const socket = await authenticatedSocket(t, ann.token);
    sockets.push(socket);
    for (let index = 0; index < BURST; index += 1) assert.equal((await restSend(t.url, ann, chatId)).status, 201);
    const refused = await call(socket, 'chat:message', textMessage(chatId, 'over the socket'));
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'rate_limited');
    // Reads over the socket still work.
    const history = await call(socket, 'chat:history', { chatId });
    assert.equal(history.ok, true);
  });

  test('a budget spent over the socket refuses REST too', async () => {
    const [host, bob] = await createUsers(t, 'host3', 'bob3');
    const chatId = await groupOf(t.url, host, [bob]);
    const socket = await authenticatedSocket(t, bob.token);
    sockets.push(socket);
    for (let index = 0; index < BURST; index += 1) {
      const sent = await call(socket, 'chat:message', textMessage(chatId, `m${index}`));
      assert.equal(sent.ok, true, JSON.stringify(sent));
    }
    const res = await restSend(t.url, bob, chatId);
    assertApiError(res, 429, 'rate_limited');
    assert.ok(Number(res.headers['retry-after']) >= 1);
    // A second socket of the same user shares the budget as well.
    const second = await authenticatedSocket(t, bob.token);
    sockets.push(second);
    const refused = await call(second, 'group:leave', { chatId });
    assert.equal(!refused.ok && refused.error.code, 'rate_limited');
  });
});

describe('the write budget across two server processes sharing Redis', { timeout: 120_000 }, () => {
  let redis: RunningRedis;
  let dataDir: string;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let users: Record<string, TestUser>;
  const sockets: ClientSocket[] = [];

  before(async () => {
    redis = await redisForTests();
    dataDir = mkdtempSync(join(tmpdir(), 'chat-budget-'));
    const jwtSecret = randomBytes(48).toString('base64url');
    const storage = await openSqliteStorage({ file: join(dataDir, 'chat.sqlite') });
    try {
      users = await seedUsers(storage, jwtSecret, ['host', 'carol']);
    } finally {
      await storage.close();
    }
    const env = {
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      REDIS_URL: redis.url,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      STATIC_DIR: join(dataDir, 'no-static-app'),
      WRITES_PER_SECOND: String(BUDGET.WRITES_PER_SECOND),
      WRITES_BURST: String(BUDGET.WRITES_BURST),
    };
    [nodeA, nodeB] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })]);
  });

  after(async () => {
    closeAll(...sockets);
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('writes on either process draw on one budget', async () => {
    const carol = users['carol']!;
    const chatId = await groupOf(nodeA.url, users['host']!, [carol]);
    const half = BURST / 2;
    for (let index = 0; index < half; index += 1) assert.equal((await restSend(nodeA.url, carol, chatId)).status, 201);
    const onB = await authenticatedSocket({ url: nodeB.url }, carol.token, { waitMs: 5_000 });
    sockets.push(onB);
    for (let index = 0; index < half; index += 1) {
      const sent = await call(onB, 'chat:message', textMessage(chatId, `b${index}`));
      assert.equal(sent.ok, true, JSON.stringify(sent));
    }
    // Spent: on process A over REST, and on process B over the socket.
    const res = await restSend(nodeA.url, carol, chatId);
    assertApiError(res, 429, 'rate_limited');
    assert.ok(Number(res.headers['retry-after']) >= 1);
    const refused = await call(onB, 'chat:message', textMessage(chatId, 'one too many'));
    assert.equal(!refused.ok && refused.error.code, 'rate_limited');
    const restOnB = await request(nodeB.url).post(`/api/chats/${chatId}/messages`).set('Authorization', `Bearer ${carol.token}`).send({ clientId: randomUUID(), body: 'x' });
    assertApiError(restOnB, 429, 'rate_limited');
  });
});
