/**
 * The store stops answering in the middle of a message write: FerretDB behind a proxy that
 * stalls the connection carrying the message's insert (into `messages`; search postings are
 * written in the background on other inserts), so the driver's socket timeout fires
 * inside the batched insert (the driver reports it wrapped in a bulk write error). The sender
 * must get `store_unavailable` — the code a client retries on — never `internal`; the server
 * stays up, and the retry with the same clientId stores the message exactly once.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openMongoStorage } from '../src/storage/mongo/mongo-storage.js';
import { FerretDb } from './support/ferretdb.js';
import { MongoStallProxy } from './support/mongo-stall-proxy.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { authenticatedSocket, call, type ClientSocket } from './support/socket-client.js';
import { seedUsers } from './support/stored-users.js';

/** Longer than the driver's socket timeout (5 s) plus its retry. */
const ACK_TIMEOUT_MS = 30_000;

describe('a store that stalls in the middle of a write', { timeout: 180_000 }, () => {
  let ferret: FerretDb;
  let proxy: MongoStallProxy;
  let server: ServerProcess;
  let dataDir: string;
  let chatId: string;
  let adaToken: string;
  let ada: ClientSocket | undefined;

  before(async () => {
    ferret = await FerretDb.start();
    proxy = await MongoStallProxy.start(ferret.port);
    dataDir = mkdtempSync(join(tmpdir(), 'chat-store-stall-'));
    const jwtSecret = randomBytes(48).toString('base64url');
    const storage = await openMongoStorage({ uri: `${ferret.uri}store_stall` });
    try {
      const users = await seedUsers(storage, jwtSecret, ['ada', 'ben']);
      chatId = (await storage.chats.createGroup({ name: 'stall', passwordHash: null, creatorId: users['ada']!.user.id, memberIds: [users['ben']!.user.id] })).id;
      adaToken = users['ada']!.token;
    } finally {
      await storage.close();
    }
    server = await startServerProcess({
      env: { MONGODB_URI: `${proxy.uri}store_stall`, DATA_DIR: dataDir, JWT_SECRET: jwtSecret, BCRYPT_COST: '4', LOG_LEVEL: 'fatal', STATIC_DIR: join(dataDir, 'none') },
    });
  });

  after(async () => {
    ada?.disconnect();
    await server?.stop();
    await proxy?.close();
    await ferret?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the send is answered store_unavailable, and its retry stores it once', async () => {
    ada = await authenticatedSocket(server, adaToken, { waitMs: ACK_TIMEOUT_MS });
    const first = await call(ada, 'chat:message', { chatId, clientId: randomUUID(), body: 'before the stall' });
    assert.equal(first.ok, true, 'sends work through the proxy');

    proxy.stallOn('insert', 'messages');
    const clientId = randomUUID();
    const stalled = await call(ada, 'chat:message', { chatId, clientId, body: 'caught in the stall' });
    assert.equal(proxy.stalledConnections, 1, 'the insert itself was stalled');
    assert.equal(stalled.ok, false, 'not acknowledged as stored');
    if (!stalled.ok) assert.equal(stalled.error.code, 'store_unavailable', `${stalled.error.code}: ${stalled.error.message}`);
    assert.equal(server.isRunning(), true, 'the server process is still running');

    const retried = await call(ada, 'chat:message', { chatId, clientId, body: 'caught in the stall' });
    const again = await call(ada, 'chat:message', { chatId, clientId, body: 'caught in the stall' });
    assert.ok(retried.ok && again.ok, 'the retry is stored');
    if (retried.ok && again.ok) assert.equal(retried.data.message.id, again.data.message.id);
    const history = await call(ada, 'chat:history', { chatId, limit: 50 });
    assert.ok(history.ok);
    if (history.ok) {
      assert.deepEqual(
        history.data.messages.filter((m) => m.kind === 'text').map((m) => m.body),
        ['before the stall', 'caught in the stall'],
      );
    }
  });
});
