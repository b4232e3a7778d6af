/**
 * Two real server processes (`node --import tsx backend/src/main.ts`) on one SQLite file and one
 * real redis-server (REDIS_TEST_URL, or a redis-server started here), acting as one service:
 * messages, typing, receipts, room joins, presence, shared rate limits and ended sessions cross
 * processes; then one process is SIGKILLed while clients keep sending, editing and reacting, and
 * nothing acknowledged is lost or duplicated — messages or changes.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcrypt';
import { Redis } from 'ioredis';
import type { Ack } from '../../shared/src/api-error.js';
import type { MessageChange } from '../../shared/src/schemas/message-changes.js';
import type { HistoryPage, Message } from '../../shared/src/schemas/messages.js';
import type { Receipt } from '../../shared/src/schemas/receipts.js';
import type { SyncResult } from '../../shared/src/schemas/sync.js';
import type { AckData } from '../src/operations/operation.js';
import { RedisPresenceRegistry } from '../src/presence/redis-presence-registry.js';
import { openMongoStorage } from '../src/storage/mongo/mongo-storage.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { FerretDb } from './support/ferretdb.js';
import { redisForTests, type RunningRedis } from './support/redis-server.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { authenticatedSocket, call, closeAll, failure, nextEvent, ok, recordEvents, type ClientSocket } from './support/socket-client.js';
import { seedUsers, type TestUser } from './support/stored-users.js';
import { sleep, waitFor, withTimeout } from './support/waiting.js';

const PRESENCE_TTL_S = 6;
/** What docs/SCALING.md promises: a dead process's users are offline within TTL + TTL/3. */
const OFFLINE_WITHIN_MS = PRESENCE_TTL_S * 1000 + (PRESENCE_TTL_S * 1000) / 3;
/** Separate processes on two cores: sockets wait longer than against an in-process test server. */
const WAIT_MS = 5_000;
const PASSWORD = 'cluster-test-password';
const ADMIN_API_KEY = randomBytes(32).toString('hex');

/** A socket signed in at `url`; a server that does not answer fails the connection within 2 s. */
function signedInSocket(url: string, token: string): Promise<ClientSocket> {
  return authenticatedSocket({ url }, token, { waitMs: WAIT_MS, connectTimeoutMs: 2_000 });
}

/**
 * The user whose sign-ins the login throttle counts: a new name each run, since the throttle's
 * counts live in Redis, which outlives one run of this file.
 */
const LOGIN_THROTTLED = `gil_${randomBytes(4).toString('hex')}`;

describe('two server processes sharing Redis and one SQLite file', { timeout: 180_000 }, () => {
  let redis: RunningRedis;
  let dataDir: string;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let users: Record<string, TestUser> = {};
  const chats: Record<string, string> = {};
  const openSockets: ClientSocket[] = [];

  before(async () => {
    redis = await redisForTests();
    dataDir = mkdtempSync(join(tmpdir(), 'chat-cluster-'));
    const jwtSecret = randomBytes(48).toString('base64url');
    const storage = await openSqliteStorage({ file: join(dataDir, 'chat.sqlite') });
    try {
      const names = ['ada', 'ben', 'cleo', 'dan', 'eve', 'frank', 'gil', 'hank', 'ivy', LOGIN_THROTTLED];
      users = await seedUsers(storage, jwtSecret, names, await bcrypt.hash(PASSWORD, 4));
      const group = async (name: string, members: string[], password?: string) =>
        (
          await storage.chats.createGroup({
            name,
            passwordHash: password ? await bcrypt.hash(password, 4) : null,
            creatorId: users[members[0]!]!.user.id,
            memberIds: members.map((member) => users[member]!.user.id),
          })
        ).id;
      chats['team'] = await group('team', ['ada', 'ben', 'cleo', 'dan']);
      chats['stream'] = await group('stream', ['ada', 'ben', 'cleo', 'dan']);
      chats['vault'] = await group('vault', ['ivy'], 'the-right-password');
    } finally {
      await storage.close();
    }
    const env = {
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      REDIS_URL: redis.url,
      PRESENCE_TTL_S: String(PRESENCE_TTL_S),
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      STATIC_DIR: join(dataDir, 'no-static-app'),
      ROOM_PASSWORD_ATTEMPTS: '3',
      LOGIN_ATTEMPTS_PER_USERNAME: '3',
      SOCKET_EVENTS_PER_SECOND: '200',
      SOCKET_EVENTS_BURST: '400',
      ADMIN_API_KEY,
    };
    [nodeA, nodeB] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })]);
  });

  after(async () => {
    for (const socket of openSockets) socket.disconnect();
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function connectAs(name: string, node: ServerProcess): Promise<ClientSocket> {
    const socket = await signedInSocket(node.url, users[name]!.token);
    openSockets.push(socket);
    return socket;
  }

  test('direct and group messages, typing and receipts reach users on the other process', async () => {
    const ada = await connectAs('ada', nodeA);
    const ben = await connectAs('ben', nodeB);
    const cleo = await connectAs('cleo', nodeA);
    const dan = await connectAs('dan', nodeB);

    // Direct chat: opened on A, first message announced and delivered on B, reply back to A.
    const opened = await ok(ada, 'chat:open', { userId: users['ben']!.user.id });
    const created = nextEvent(ben, 'chat:created', (e) => e.chat.id === opened.chat.id);
    const firstArrives = nextEvent(ben, 'chat:message', (m) => m.chatId === opened.chat.id);
    const { message: first } = await ok(ada, 'chat:message', { chatId: opened.chat.id, clientId: randomUUID(), body: 'hello from A' });
    await created;
    assert.equal((await firstArrives).id, first.id);
    const replyArrives = nextEvent(ada, 'chat:message', (m) => m.chatId === opened.chat.id);
    const { message: reply } = await ok(ben, 'chat:message', { chatId: opened.chat.id, clientId: randomUUID(), body: 'hello from B' });
    assert.equal((await replyArrives).id, reply.id);

    // Group: a message sent on B reaches members on both processes, not the sender's socket.
    const team = chats['team']!;
    const heardByBen = recordEvents(ben);
    const arrivals = [ada, cleo, dan].map((socket) => nextEvent(socket, 'chat:message', (m) => m.chatId === team));
    const { message: groupMessage } = await ok(ben, 'chat:message', { chatId: team, clientId: randomUUID(), body: 'team, hi' });
    for (const arrival of await Promise.all(arrivals)) assert.equal(arrival.id, groupMessage.id);

    // Typing on B shows on A and B.
    const typingSeen = [ada, cleo, dan].map((socket) => nextEvent(socket, 'chat:typing', (e) => e.chatId === team && e.userId === users['ben']!.user.id));
    ben.emit('chat:typing', { chatId: team, typing: true });
    for (const typing of await Promise.all(typingSeen)) assert.equal(typing.typing, true);

    // A read receipt from B reaches the sender on... B, and the other members on A.
    const receiptSeen = [ada, ben].map((socket) => nextEvent(socket, 'chat:receipt', (r: Receipt) => r.userId === users['dan']!.user.id));
    await ok(dan, 'chat:read', { chatId: team, upTo: groupMessage.id });
    const receipts = await Promise.all(receiptSeen);
    const readAt = receipts[0]!.readAt;
    assert.ok(readAt !== null, 'a read receipt carries its time');
    for (const receipt of receipts) {
      assert.deepEqual(receipt, { chatId: team, messageId: groupMessage.id, seq: groupMessage.seq, userId: users['dan']!.user.id, status: 'read', readAt });
    }
    await sleep(200);
    assert.equal(heardByBen.filter((e) => e.event === 'chat:message' && (e.payload as Message).id === groupMessage.id).length, 0, 'the sender socket does not get its own message back');
    closeAll(ada, ben, cleo, dan);
  });

  test('a group created on one process puts members on the other process in its room at once', async () => {
    const ada = await connectAs('ada', nodeA);
    const ben = await connectAs('ben', nodeB);
    const announced = nextEvent(ben, 'chat:created', (e) => e.chat.name === 'late group');
    const { chat } = await ok(ada, 'group:create', { name: 'late group', memberIds: [users['ben']!.user.id] });
    await announced;
    // No reconnect: ben's socket on B joined the room through the adapter.
    const arrives = nextEvent(ben, 'chat:message', (m) => m.chatId === chat.id && m.kind === 'text');
    const { message } = await ok(ada, 'chat:message', { chatId: chat.id, clientId: randomUUID(), body: 'welcome' });
    assert.equal((await arrives).id, message.id);

    // Leaving on B takes the socket out of the room everywhere: ada's next message does not reach it.
    await ok(ben, 'group:leave', { chatId: chat.id });
    const heard = recordEvents(ben);
    await ok(ada, 'chat:message', { chatId: chat.id, clientId: randomUUID(), body: 'after ben left' });
    await sleep(300);
    assert.deepEqual(heard.filter((e) => e.event === 'chat:message'), []);
    closeAll(ada, ben);
  });

  test('a room with members on one process only is a sharded channel only that process subscribes to', async () => {
    // Redis 7+ (sharded pub/sub): REDIS_ADAPTER defaults to the sharded adapter, one channel per room.
    const ada = await connectAs('ada', nodeA);
    const cleo = await connectAs('cleo', nodeA);
    const { chat } = await ok(ada, 'group:create', { name: 'only on A', memberIds: [users['cleo']!.user.id], visibility: 'public' });
    const channel = `chat-socket.io#/#chat:${chat.id}#`;
    const probe = new Redis(redis.url);
    try {
      const subscribers = async () => Number(((await probe.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1]);
      const subscribersBecome = async (count: number) => {
        const deadline = Date.now() + WAIT_MS;
        while ((await subscribers()) !== count) {
          if (Date.now() > deadline) assert.fail(`${channel} did not reach ${count} subscriber(s) within ${WAIT_MS} ms`);
          await sleep(50);
        }
      };
      await subscribersBecome(1);
      const arrives = nextEvent(cleo, 'chat:message', (m) => m.chatId === chat.id && m.kind === 'text');
      const { message } = await ok(ada, 'chat:message', { chatId: chat.id, clientId: randomUUID(), body: 'only A hears this' });
      assert.equal((await arrives).id, message.id);
      assert.equal(await subscribers(), 1, 'process B, with no member of the room, is not subscribed to its channel');
      // Once a member on B joins, B subscribes too, and hears the room.
      const ben = await connectAs('ben', nodeB);
      await ok(ben, 'group:join', { chatId: chat.id });
      await subscribersBecome(2);
      const benHears = nextEvent(ben, 'chat:message', (m) => m.chatId === chat.id && m.kind === 'text');
      const { message: second } = await ok(ada, 'chat:message', { chatId: chat.id, clientId: randomUUID(), body: 'now B hears it too' });
      assert.equal((await benHears).id, second.id);
      closeAll(ada, cleo, ben);
    } finally {
      probe.disconnect();
    }
  });

  test('presence is cluster-wide and counts tabs on every process', async () => {
    const watcher = await connectAs('ada', nodeA);
    const eveId = users['eve']!.user.id;
    const events: boolean[] = [];
    watcher.on('presence', (p) => {
      if (p.userId === eveId) events.push(p.online);
    });

    const online = nextEvent(watcher, 'presence', (p) => p.userId === eveId);
    const tabOnB = await connectAs('eve', nodeB);
    assert.equal((await online).online, true);
    const tabOnA = await connectAs('eve', nodeA);
    const listed = await ok(watcher, 'users:list', {});
    assert.equal(listed.users.find((u) => u.id === eveId)?.online, true);

    // Closing one tab (on B) leaves eve online: her tab on A still counts.
    tabOnB.disconnect();
    await sleep(500);
    assert.deepEqual(events, [true]);
    const fromB = await connectAs('ben', nodeB);
    assert.equal((await ok(fromB, 'users:list', {})).users.find((u) => u.id === eveId)?.online, true);

    const offline = nextEvent(watcher, 'presence', (p) => p.userId === eveId);
    tabOnA.disconnect();
    assert.equal((await offline).online, false);
    assert.equal((await ok(fromB, 'users:list', {})).users.find((u) => u.id === eveId)?.online, false);
    assert.deepEqual(events, [true, false]);
    closeAll(watcher, fromB);
  });

  test('the room-password and sign-in throttles count attempts on every process together', async () => {
    // ROOM_PASSWORD_ATTEMPTS=3: two wrong guesses on B, one on A, and the fourth is refused on B.
    const danOnB = await connectAs('dan', nodeB);
    const danOnA = await connectAs('dan', nodeA);
    const vault = chats['vault']!;
    assert.equal(await failure(danOnB, 'group:join', { chatId: vault, password: 'guess-1' }), 'wrong_password');
    assert.equal(await failure(danOnB, 'group:join', { chatId: vault, password: 'guess-2' }), 'wrong_password');
    assert.equal(await failure(danOnA, 'group:join', { chatId: vault, password: 'guess-3' }), 'wrong_password');
    assert.equal(await failure(danOnB, 'group:join', { chatId: vault, password: 'the-right-password' }), 'rate_limited');
    closeAll(danOnA, danOnB);

    // LOGIN_ATTEMPTS_PER_USERNAME=3: two wrong passwords on A, one on B; then even the right one is throttled on B.
    const login = (node: ServerProcess, password: string) =>
      fetch(`${node.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: LOGIN_THROTTLED, password }) });
    for (const node of [nodeA, nodeA, nodeB]) {
      const response = await login(node, 'not-the-password');
      assert.equal(response.status, 401, `a wrong password is refused as such, got ${response.status}`);
    }
    const throttled = await login(nodeB, PASSWORD);
    assert.equal(throttled.status, 429);
    assert.equal(((await throttled.json()) as { error: { code: string } }).error.code, 'rate_limited');
  });

  test('banning a user on one process ends their sessions on every process', async () => {
    const onA = await connectAs('hank', nodeA);
    const onB = await connectAs('hank', nodeB);
    const ended = [onA, onB].map((socket) => nextEvent(socket, 'session:ended'));
    const closed = [onA, onB].map((socket) => new Promise<void>((resolve) => socket.once('disconnect', () => resolve())));
    const response = await fetch(`${nodeA.url}/api/admin/users/${users['hank']!.user.id}/ban`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 200, await response.text());
    await Promise.all(ended);
    await withTimeout(Promise.all(closed), WAIT_MS, 'sockets stayed connected');
  });

  test('a process killed mid-stream loses no acknowledged message or change and duplicates none', async () => {
    const stream = chats['stream']!;
    const perSender = 40;
    // frank lives on A only and will not come back: he must go offline for everyone.
    const frank = await connectAs('frank', nodeA);
    const observer = await connectAs('gil', nodeB);
    const presenceSeen: Array<{ userId: string; online: boolean; at: number }> = [];
    observer.on('presence', (p) => presenceSeen.push({ ...p, at: Date.now() }));

    const members = await sendersOnBothProcesses(users, [nodeA, nodeB], stream);
    const clients = Object.values(members);
    const killWhenUnderway = killOnceAcknowledged(nodeA, clients, 40);
    // Each client edits every 4th message it sends and reacts to others' messages as it goes.
    await Promise.all(clients.map((client) => client.sendMany(perSender, 15, { editEvery: 4, reactEvery: 3 })));
    const killedAt = await killWhenUnderway;

    // Everyone settles: late deliveries, then a sync from the last gap-free position.
    await sleep(500);
    for (const client of clients) await client.syncMissed();

    // History, as any member reads it over a socket.
    const history = await members.ben.readWholeHistory();
    const seqs = history.map((m) => m.seq);
    assert.deepEqual(seqs, Array.from({ length: history.length }, (_, i) => i + 1), 'history seqs are gap-free and in order');
    const byClientId = new Map<string, number>();
    for (const message of history) if (message.clientId) byClientId.set(message.clientId, (byClientId.get(message.clientId) ?? 0) + 1);
    const acked = new Map<string, Message>();
    for (const client of clients) for (const [clientId, message] of client.acked) acked.set(clientId, message);
    assert.equal(acked.size, clients.length * perSender, 'every send was eventually acknowledged');
    for (const [clientId, message] of acked) {
      assert.equal(byClientId.get(clientId), 1, `acked message ${clientId} is stored exactly once`);
      assert.equal(history[message.seq - 1]?.id, message.id, 'the ack names the stored message');
    }
    assert.equal(byClientId.size, acked.size, 'nothing is stored that was not acknowledged');

    // Each sender's messages are stored in the order they were sent.
    for (const client of clients) {
      const mine = [...client.acked.values()].map((m) => m.seq);
      assert.deepEqual(mine, [...mine].sort((x, y) => x - y), `${client.name}'s messages keep their order`);
    }

    // Every member has every message exactly once (live, synced, or its own ack).
    let delivered = 0;
    let filledBySync = 0;
    for (const client of clients) {
      assert.deepEqual(client.knownIdsBySeq(), history.map((m) => m.id), `${client.name} has the whole stream, in seq order`);
      assert.equal(client.liveDuplicates, 0, `${client.name} got no message twice`);
      assert.equal(client.orderViolations, 0, `${client.name} got each sender's messages in order on each connection`);
      delivered += client.liveReceived;
      filledBySync += client.filledBySync;
    }
    const lost = clients.reduce((sum, client) => sum + (history.length - client.knownIdsBySeq().length), 0);
    const duplicated = clients.reduce((sum, client) => sum + client.liveDuplicates, 0);
    const attempts = clients.reduce((sum, client) => sum + client.attempts, 0);
    console.log(
      `cluster kill figures: sent ${attempts} (attempts, retries included), acked ${acked.size}, stored ${history.length}, ` +
        `delivered live ${delivered}, filled by sync ${filledBySync}, lost ${lost}, duplicated ${duplicated}, ` +
        `reconnects ${clients.reduce((sum, client) => sum + client.reconnects, 0)}`,
    );
    assert.equal(lost, 0);
    assert.equal(duplicated, 0);
    assert.ok(members.ada.reconnects >= 1 && members.cleo.reconnects >= 1, 'the killed process\'s clients reconnected to the other one');

    // Changes: every acknowledged edit and reaction is in the store once (retries changed nothing
    // more), and every client, from its live events, its own answers and a sync from its change
    // position, holds every message exactly as the store has it.
    const ackedEdits = clients.reduce((sum, client) => sum + client.ackedEdits.size, 0);
    const ackedReactions = clients.reduce((sum, client) => sum + client.ackedReactions.size, 0);
    assert.ok(ackedEdits >= 20 && ackedReactions >= 20, `changes were made during the stream (${ackedEdits} edits, ${ackedReactions} reactions)`);
    const summary = (await members.ben.chatSummary())!;
    assert.equal(summary.changeSeq, ackedEdits + ackedReactions, 'one change position per acknowledged change, none for retries');
    for (const client of clients) {
      for (const [messageId, body] of client.ackedEdits) assert.equal(history.find((m) => m.id === messageId)?.body, body, 'an acknowledged edit is kept');
      for (const messageId of client.ackedReactions) {
        const reaction = history.find((m) => m.id === messageId)?.reactions.find((r) => r.emoji === '👍');
        assert.ok(reaction?.userIds.includes(client.userId), 'an acknowledged reaction is kept');
      }
    }
    let changesLive = 0;
    let changesBySync = 0;
    for (const client of clients) {
      await client.syncMissed();
      assert.deepEqual(client.knownBySeq(), history, `${client.name} holds every message as the store has it`);
      assert.equal(client.liveChangeDuplicates, 0, `${client.name} got no change twice`);
      assert.equal(client.changePosition(), summary.changeSeq, `${client.name} reached the chat's change position`);
      changesLive += client.changesLive;
      changesBySync += client.changesBySync;
    }
    console.log(
      `cluster kill figures: changes acked ${ackedEdits} edits + ${ackedReactions} reactions, change positions ${summary.changeSeq}, ` +
        `applied live ${changesLive}, filled by sync ${changesBySync}`,
    );

    // frank (only on A) goes offline for everyone within the documented delay; the users who moved to B do not.
    const frankOffline = await waitFor(() => presenceSeen.find((p) => p.userId === users['frank']!.user.id && !p.online), OFFLINE_WITHIN_MS + 2_000);
    const delay = frankOffline.at - killedAt;
    console.log(`cluster kill figures: frank offline ${delay} ms after the kill (documented bound ${OFFLINE_WITHIN_MS} ms)`);
    assert.ok(delay <= OFFLINE_WITHIN_MS + 1_000, `offline after ${delay} ms`);
    const movedIds = new Set([users['ada']!.user.id, users['cleo']!.user.id]);
    assert.deepEqual(presenceSeen.filter((p) => movedIds.has(p.userId) && !p.online), [], 'users who reconnected elsewhere never looked offline');
    const directory = (await ok(observer, 'users:list', {})).users;
    assert.equal(directory.find((u) => u.id === users['frank']!.user.id)?.online, false);
    assert.equal(directory.find((u) => u.id === users['ada']!.user.id)?.online, true);
    assert.equal(directory.find((u) => u.id === users['cleo']!.user.id)?.online, true);

    for (const client of clients) client.close();
    closeAll(frank, observer);
  });
});

/**
 * The same two processes and Redis on one MongoDB (FerretDB here, so the path without
 * transactions): the adapter keeps member lists and each chat's seq in memory and learns the
 * other process's changes through Redis, and claims seqs per batch by inserting them.
 */
describe('two server processes sharing Redis and one MongoDB (FerretDB)', { timeout: 240_000 }, () => {
  let redis: RunningRedis;
  let ferret: FerretDb;
  let dataDir: string;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let users: Record<string, TestUser> = {};
  const chats: Record<string, string> = {};
  const openSockets: ClientSocket[] = [];

  before(async () => {
    redis = await redisForTests();
    ferret = await FerretDb.start();
    dataDir = mkdtempSync(join(tmpdir(), 'chat-cluster-mongo-'));
    const uri = `${ferret.uri}cluster_${randomBytes(4).toString('hex')}`;
    const jwtSecret = randomBytes(48).toString('base64url');
    const storage = await openMongoStorage({ uri });
    try {
      users = await seedUsers(storage, jwtSecret, ['ada', 'ben', 'cleo', 'dan', 'eve']);
      const group = async (name: string, members: string[]) =>
        (await storage.chats.createGroup({ name, passwordHash: null, creatorId: users[members[0]!]!.user.id, memberIds: members.map((member) => users[member]!.user.id) })).id;
      chats['stream'] = await group('stream', ['ada', 'ben', 'cleo', 'dan']);
      chats['gate'] = await group('gate', ['ada', 'eve']);
    } finally {
      await storage.close();
    }
    const env = {
      MONGODB_URI: uri,
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      REDIS_URL: redis.url,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      STATIC_DIR: join(dataDir, 'no-static-app'),
      SOCKET_EVENTS_PER_SECOND: '200',
      SOCKET_EVENTS_BURST: '400',
    };
    [nodeA, nodeB] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })]);
  });

  after(async () => {
    for (const socket of openSockets) socket.disconnect();
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await ferret?.stop();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function connectAs(name: string, node: ServerProcess): Promise<ClientSocket> {
    const socket = await signedInSocket(node.url, users[name]!.token);
    openSockets.push(socket);
    return socket;
  }

  test('a member removed on one process cannot send on the other, whose member list was kept in memory', async () => {
    const gate = chats['gate']!;
    const eveOnA = await connectAs('eve', nodeA);
    const adaOnB = await connectAs('ada', nodeB);
    // eve's send on A reads the member list and keeps it.
    await ok(eveOnA, 'chat:message', { chatId: gate, clientId: randomUUID(), body: 'still in' });
    await ok(adaOnB, 'group:update', { chatId: gate, removeMemberIds: [users['eve']!.user.id] });
    // B published the removal on Redis before answering ada; A has dropped its kept list by the time eve tries.
    const refused = await call(eveOnA, 'chat:message', { chatId: gate, clientId: randomUUID(), body: 'after removal' });
    assert.equal(refused.ok ? 'stored' : refused.error.code, 'not_found');
    const history = await ok(adaOnB, 'chat:history', { chatId: gate });
    assert.deepEqual(history.messages.filter((m) => m.kind === 'text').map((m) => m.body), ['still in'], 'nothing sent after the removal is stored');
    closeAll(eveOnA, adaOnB);
  });

  test('senders on both processes in one chat, one process SIGKILLed mid-stream: seqs gap-free, every acknowledged message stored once', async () => {
    const stream = chats['stream']!;
    const perSender = 60;
    const members = await sendersOnBothProcesses(users, [nodeA, nodeB], stream);
    const clients = Object.values(members);
    const killWhenUnderway = killOnceAcknowledged(nodeA, clients, 60);
    // No pause between sends: both processes write the chat at once, so their seq claims collide.
    await Promise.all(clients.map((client) => client.sendMany(perSender, 0)));
    await killWhenUnderway;
    await sleep(500);
    for (const client of clients) await client.syncMissed();

    const history = await members.ben.readWholeHistory();
    assert.deepEqual(history.map((m) => m.seq), Array.from({ length: history.length }, (_, i) => i + 1), 'history seqs are gap-free and in order');
    const byClientId = new Map<string, number>();
    for (const message of history) if (message.clientId) byClientId.set(message.clientId, (byClientId.get(message.clientId) ?? 0) + 1);
    const acked = new Map<string, Message>();
    for (const client of clients) for (const [clientId, message] of client.acked) acked.set(clientId, message);
    assert.equal(acked.size, clients.length * perSender, 'every send was eventually acknowledged');
    for (const [clientId, message] of acked) {
      assert.equal(byClientId.get(clientId), 1, `acked message ${clientId} is stored exactly once`);
      assert.equal(history[message.seq - 1]?.id, message.id, 'the ack names the stored message');
    }
    assert.equal(byClientId.size, acked.size, 'nothing is stored that was not acknowledged');
    for (const client of clients) {
      const mine = [...client.acked.values()].map((m) => m.seq);
      assert.deepEqual(mine, [...mine].sort((x, y) => x - y), `${client.name}'s messages keep their order`);
      assert.deepEqual(client.knownIdsBySeq(), history.map((m) => m.id), `${client.name} has the whole stream, in seq order`);
      assert.equal(client.liveDuplicates, 0, `${client.name} got no message twice`);
    }
    assert.ok(members.ada.reconnects >= 1 && members.cleo.reconnects >= 1, "the killed process's clients reconnected to the other one");

    // The surviving process keeps writing the chat after the other one died mid-batch.
    const after = await members.ben.send('after the crash');
    assert.equal(after.seq, history.length + 1);
    for (const client of clients) client.close();
  });
});

/**
 * A member of one chat that behaves like a careful client: sends one message at a time, retries
 * with the same clientId after an ack timeout or a disconnect, moves to the next server URL when
 * its server goes away, re-authenticates and syncs from the last position it has without a gap.
 */
/** ada and cleo start on A, ben and dan on B; each goes over to the other process when theirs dies. */
async function sendersOnBothProcesses(users: Record<string, TestUser>, [nodeA, nodeB]: [ServerProcess, ServerProcess], chatId: string) {
  const members = {
    ada: new ResilientClient('ada', users['ada']!, [nodeA.url, nodeB.url], chatId),
    cleo: new ResilientClient('cleo', users['cleo']!, [nodeA.url, nodeB.url], chatId),
    ben: new ResilientClient('ben', users['ben']!, [nodeB.url, nodeA.url], chatId),
    dan: new ResilientClient('dan', users['dan']!, [nodeB.url, nodeA.url], chatId),
  };
  await Promise.all(Object.values(members).map((client) => client.start()));
  return members;
}

/** SIGKILLs `node` once the clients hold `acks` acknowledged messages between them; resolves with when, once it is gone. */
async function killOnceAcknowledged(node: ServerProcess, clients: ResilientClient[], acks: number): Promise<number> {
  while (clients.reduce((sum, client) => sum + client.acked.size, 0) < acks) await sleep(5);
  const killedAt = Date.now();
  node.kill('SIGKILL');
  await node.exited;
  return killedAt;
}

class ResilientClient {
  socket: ClientSocket | null = null;
  /** clientId -> the acknowledged message. Insertion order is send order. */
  readonly acked = new Map<string, Message>();
  /** messageId -> the body of this client's acknowledged edit of it. */
  readonly ackedEdits = new Map<string, string>();
  /** Messages this client's acknowledged 👍 is on. */
  readonly ackedReactions = new Set<string>();
  private readonly known = new Map<number, Message>();
  /** Change positions applied, from live events and this client's own answers. */
  private readonly appliedChanges = new Set<number>();
  /** The change position the last sync answer reached. */
  private syncedChangeSeq = 0;
  changesLive = 0;
  changesBySync = 0;
  liveChangeDuplicates = 0;
  attempts = 0;
  reconnects = 0;
  liveReceived = 0;
  liveDuplicates = 0;
  filledBySync = 0;
  orderViolations = 0;
  private urlIndex = 0;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly user: TestUser,
    private readonly urls: string[],
    private readonly chatId: string,
  ) {}

  async start(): Promise<void> {
    await this.ensureConnected();
  }

  get userId(): string {
    return this.user.user.id;
  }

  async sendMany(count: number, pauseMs: number, changes: { editEvery?: number; reactEvery?: number } = {}): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      const message = await this.send(`${this.name} #${index}`);
      if (changes.editEvery && index % changes.editEvery === 0) {
        const body = `${this.name} #${index} (edited)`;
        await this.change('message:edit', { chatId: this.chatId, messageId: message.id, body });
        this.ackedEdits.set(message.id, body);
      }
      const othersNewest = [...this.known.values()].filter((m) => m.senderId !== this.user.user.id && m.kind === 'text').at(-1);
      if (changes.reactEvery && index % changes.reactEvery === 1 && othersNewest && !this.ackedReactions.has(othersNewest.id)) {
        await this.change('message:react', { chatId: this.chatId, messageId: othersNewest.id, emoji: '👍', on: true });
        this.ackedReactions.add(othersNewest.id);
      }
      await sleep(pauseMs);
    }
  }

  /** Sends a change until acknowledged, always the same request (a retry of a done change changes nothing). */
  async change(event: 'message:edit' | 'message:react', payload: Record<string, unknown>): Promise<Message> {
    for (let round = 0; round < 100; round += 1) {
      await this.ensureConnected();
      this.attempts += 1;
      const outcome = await this.emitOnce(event, payload, 2_000);
      if (outcome === 'lost') continue;
      if (outcome.ok) {
        const { message } = outcome.data as { message: Message };
        this.hold(message);
        if (message.changeSeq > 0) this.appliedChanges.add(message.changeSeq);
        return message;
      }
      if (['store_unavailable', 'internal', 'rate_limited'].includes(outcome.error.code)) {
        await sleep(200);
        continue;
      }
      throw new Error(`${this.name}: ${event} refused: ${outcome.error.code} ${outcome.error.message}`);
    }
    throw new Error(`${this.name}: gave up on ${event}`);
  }

  /** The chat as this client's list shows it. */
  async chatSummary() {
    await this.ensureConnected();
    const outcome = await this.emitOnce('chat:list', {}, 5_000);
    if (outcome === 'lost' || !outcome.ok) throw new Error(`${this.name}: chat:list failed`);
    return (outcome.data as { chats: Array<{ id: string; changeSeq: number }> }).chats.find((chat) => chat.id === this.chatId);
  }

  /** The change position up to which this client has applied every change: the last sync's, then live ones without a gap. */
  changePosition(): number {
    let position = this.syncedChangeSeq;
    while (this.appliedChanges.has(position + 1)) position += 1;
    return position;
  }

  /** Every message held, in seq order, each in the newest state seen. */
  knownBySeq(): Message[] {
    return [...this.known.values()].sort((x, y) => x.seq - y.seq);
  }

  /** Sends until acknowledged, always with the same clientId. */
  async send(body: string): Promise<Message> {
    const clientId = randomUUID();
    for (let round = 0; round < 100; round += 1) {
      await this.ensureConnected();
      this.attempts += 1;
      const outcome = await this.emitOnce('chat:message', { chatId: this.chatId, clientId, body }, 2_000);
      if (outcome === 'lost') continue;
      if (outcome.ok) {
        this.acked.set(clientId, outcome.data.message);
        this.remember(outcome.data.message);
        return outcome.data.message;
      }
      if (['store_unavailable', 'internal', 'rate_limited'].includes(outcome.error.code)) {
        await sleep(200);
        continue;
      }
      throw new Error(`${this.name}: send refused: ${outcome.error.code} ${outcome.error.message}`);
    }
    throw new Error(`${this.name}: gave up sending`);
  }

  /**
   * Asks for everything after the last message held without a gap, and for the changes after
   * the change position reached, until nothing more comes.
   */
  async syncMissed(): Promise<void> {
    for (let round = 0; round < 50; round += 1) {
      await this.ensureConnected();
      const request = { chats: { [this.chatId]: this.lastGapFreeId() }, changes: { [this.chatId]: this.changePosition() } };
      const outcome = await this.emitOnce('sync', request, 5_000);
      if (outcome === 'lost') continue;
      if (!outcome.ok) throw new Error(`${this.name}: sync failed: ${outcome.error.code}`);
      const page = (outcome.data as SyncResult).chats[this.chatId];
      for (const message of page?.messages ?? []) {
        if (this.remember(message)) this.filledBySync += 1;
        else this.hold(message);
      }
      for (const change of page?.changes ?? []) {
        if (this.hold(change.message)) this.changesBySync += 1;
      }
      if (page) this.syncedChangeSeq = Math.max(this.syncedChangeSeq, page.changeSeq);
      if (!page?.hasMore && !page?.hasMoreChanges) return;
    }
  }

  async readWholeHistory(): Promise<Message[]> {
    const pages: Message[][] = [];
    let before: string | undefined;
    for (;;) {
      await this.ensureConnected();
      const outcome = await this.emitOnce('chat:history', { chatId: this.chatId, limit: 50, ...(before && { before }) }, 5_000);
      if (outcome === 'lost') continue;
      if (!outcome.ok) throw new Error(`history failed: ${outcome.error.code}`);
      const page = outcome.data as HistoryPage;
      pages.unshift(page.messages);
      if (!page.hasMore || page.messages.length === 0) break;
      before = page.messages[0]!.id;
    }
    return pages.flat();
  }

  knownIdsBySeq(): string[] {
    return [...this.known.values()].sort((x, y) => x.seq - y.seq).map((m) => m.id);
  }

  close(): void {
    this.closed = true;
    this.socket?.disconnect();
  }

  private remember(message: Message): boolean {
    if (this.known.has(message.seq)) return false;
    this.known.set(message.seq, message);
    return true;
  }

  /** Keeps the newer of two states of a message held (the higher changeSeq); true when this one was newer. */
  private hold(message: Message): boolean {
    const held = this.known.get(message.seq);
    if (held && held.changeSeq >= message.changeSeq) return false;
    this.known.set(message.seq, message);
    return true;
  }

  /** The id of the newest message such that every older one is held too (null: none yet). */
  private lastGapFreeId(): string | null {
    let seq = 0;
    while (this.known.has(seq + 1)) seq += 1;
    return seq === 0 ? null : this.known.get(seq)!.id;
  }

  private ensureConnected(): Promise<void> {
    if (this.socket?.connected) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const firstTime = this.socket === null;
    for (let attempt = 0; attempt < 40 && !this.closed; attempt += 1) {
      const url = this.urls[this.urlIndex % this.urls.length]!;
      try {
        const socket = await signedInSocket(url, this.user.token);
        this.attach(socket);
        if (!firstTime) {
          this.reconnects += 1;
          await this.syncMissed();
        }
        return;
      } catch {
        this.urlIndex += 1;
        await sleep(100);
      }
    }
    throw new Error(`${this.name}: could not reconnect`);
  }

  private attach(socket: ClientSocket): void {
    this.socket = socket;
    const ids = new Set<string>();
    const lastSeqBySender = new Map<string, number>();
    socket.on('chat:message', (message) => {
      if (message.chatId !== this.chatId) return;
      if (ids.has(message.id)) {
        this.liveDuplicates += 1;
        return;
      }
      ids.add(message.id);
      this.liveReceived += 1;
      const sender = message.senderId ?? '';
      if ((lastSeqBySender.get(sender) ?? 0) > message.seq) this.orderViolations += 1;
      lastSeqBySender.set(sender, message.seq);
      this.remember(message);
    });
    const changePositions = new Set<number>();
    socket.on('message:changed', (change: MessageChange) => {
      if (change.chatId !== this.chatId) return;
      if (changePositions.has(change.changeSeq)) {
        this.liveChangeDuplicates += 1;
        return;
      }
      changePositions.add(change.changeSeq);
      this.appliedChanges.add(change.changeSeq);
      if (this.hold(change.message)) this.changesLive += 1;
    });
  }

  /** One emit: its ack, or 'lost' when the ack did not come in time or the socket dropped. */
  private emitOnce<E extends 'chat:message' | 'sync' | 'chat:history' | 'message:edit' | 'message:react' | 'chat:list'>(event: E, payload: unknown, timeoutMs: number): Promise<Ack<AckData<E>> | 'lost'> {
    const socket = this.socket!;
    return new Promise((resolve) => {
      const done = (outcome: Ack<AckData<E>> | 'lost') => {
        clearTimeout(timer);
        socket.off('disconnect', onDisconnect);
        resolve(outcome);
      };
      const onDisconnect = () => done('lost');
      const timer = setTimeout(() => done('lost'), timeoutMs);
      socket.once('disconnect', onDisconnect);
      (socket.emit as (event: string, payload: unknown, ack: (answer: Ack<AckData<E>>) => void) => void)(event, payload, (answer) => done(answer));
    });
  }
}

describe('the Redis presence registry, process by process', { timeout: 60_000 }, () => {
  const TTL_S = 2;
  let redis: RunningRedis;
  const clients: Redis[] = [];
  const registries: RedisPresenceRegistry[] = [];

  before(async () => {
    redis = await redisForTests();
  });
  after(async () => {
    for (const registry of registries) await registry.close().catch(() => {});
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });

  /** A registry as one server process would have it, with its own connection and its own announcements. */
  async function processRegistry(keyPrefix: string): Promise<{ registry: RedisPresenceRegistry; client: Redis; announced: Array<[string, boolean]> }> {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => {});
    clients.push(client);
    const announced: Array<[string, boolean]> = [];
    const registry = new RedisPresenceRegistry({ redis: client, ttlSeconds: TTL_S, keyPrefix, announce: (userId, online) => announced.push([userId, online]) });
    registries.push(registry);
    await registry.start();
    return { registry, client, announced };
  }

  test('a user is online while any process counts a socket, and MAX_SOCKETS_PER_USER spans processes', async () => {
    const prefix = `t1-${randomUUID()}`;
    const a = await processRegistry(prefix);
    const b = await processRegistry(prefix);
    assert.deepEqual(await a.registry.addSocket('u1', 's1', 2), { accepted: true, cameOnline: true });
    assert.deepEqual(await a.registry.addSocket('u1', 's1', 2), { accepted: true, cameOnline: false }, 'the same socket twice counts once');
    assert.deepEqual(await b.registry.addSocket('u1', 's2', 2), { accepted: true, cameOnline: false });
    assert.deepEqual(await b.registry.addSocket('u1', 's3', 2), { accepted: false, cameOnline: false }, 'a third socket anywhere is refused');
    assert.deepEqual([...(await b.registry.onlineAmong(['u1', 'u2']))], ['u1']);
    assert.deepEqual(await a.registry.removeSocket('u1', 's1'), { wentOffline: false });
    assert.deepEqual(await a.registry.removeSocket('u1', 'unknown'), { wentOffline: false });
    assert.deepEqual(await b.registry.removeSocket('u1', 's2'), { wentOffline: true });
    assert.deepEqual([...(await a.registry.onlineAmong(['u1']))], []);
  });

  test('a process that stops heartbeating is swept: its users go offline unless they have sockets elsewhere; it restores itself when back', async () => {
    const prefix = `t2-${randomUUID()}`;
    const a = await processRegistry(prefix);
    const b = await processRegistry(prefix);
    await a.registry.addSocket('lonely', 's1', 5);
    await a.registry.addSocket('twoTabs', 's2', 5);
    await b.registry.addSocket('twoTabs', 's3', 5);

    // A loses Redis (as if it had died): after the TTL, B's sweep announces only 'lonely' offline.
    a.client.disconnect();
    const cutAt = Date.now();
    await waitFor(() => b.announced.find(([userId, online]) => userId === 'lonely' && !online), (TTL_S + TTL_S / 3) * 1000 + 1_500);
    assert.ok(Date.now() - cutAt <= (TTL_S + TTL_S / 3) * 1000 + 1_000, 'within TTL + TTL/3');
    assert.deepEqual([...(await b.registry.onlineAmong(['lonely', 'twoTabs']))], ['twoTabs']);
    assert.deepEqual(b.announced.filter(([userId]) => userId === 'twoTabs'), []);

    // A was alive after all: once it reaches Redis again it registers its sockets, and 'lonely' is back.
    await a.client.connect();
    await waitFor(() => a.announced.find(([userId, online]) => userId === 'lonely' && online), 3_000);
    assert.deepEqual([...(await b.registry.onlineAmong(['lonely', 'twoTabs']))].sort(), ['lonely', 'twoTabs']);
  });

  test('a socket closed while Redis was unreachable is taken off the count once it is back', async () => {
    const prefix = `t3-${randomUUID()}`;
    const a = await processRegistry(prefix);
    const b = await processRegistry(prefix);
    await a.registry.addSocket('u', 's1', 5);
    a.client.disconnect();
    await assert.rejects(a.registry.removeSocket('u', 's1'));
    await a.client.connect();
    await waitFor(() => a.announced.find(([userId, online]) => userId === 'u' && !online), 3_000);
    assert.deepEqual([...(await b.registry.onlineAmong(['u']))], []);
  });
});
