/**
 * The store goes away under a running server: FerretDB (the MongoDB API over SQLite) is stopped
 * while a server process uses it. Sends then fail with a clear `store_unavailable` error and are
 * never acknowledged as stored; the server stays up; once FerretDB is back on the same port and
 * data, sends succeed again, and a retry with the failed send's clientId stores it exactly once.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Ack } from '../../shared/src/api-error.js';
import type { Message } from '../../shared/src/schemas/messages.js';
import { openMongoStorage } from '../src/storage/mongo/mongo-storage.js';
import { FerretDb } from './support/ferretdb.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { authenticatedSocket, call, type ClientSocket } from './support/socket-client.js';
import { seedUsers } from './support/stored-users.js';
import { sleep, waitFor } from './support/waiting.js';

/** Longer than the driver's server-selection timeout, so a failing send still gets its answer. */
const ACK_TIMEOUT_MS = 20_000;
/** Sends queued behind a frozen store time out one driver operation after another. */
const FROZEN_ACK_TIMEOUT_MS = 90_000;

describe('the MongoDB store going away and coming back', { timeout: 300_000 }, () => {
  let ferret: FerretDb;
  let server: ServerProcess;
  let dataDir: string;
  let chatId: string;
  let adaToken: string;
  let benToken: string;
  const sockets: ClientSocket[] = [];

  before(async () => {
    ferret = await FerretDb.start();
    dataDir = mkdtempSync(join(tmpdir(), 'chat-store-faults-'));
    const uri = `${ferret.uri}store_faults`;
    const jwtSecret = randomBytes(48).toString('base64url');
    const storage = await openMongoStorage({ uri });
    try {
      const { ada, ben } = await seedUsers(storage, jwtSecret, ['ada', 'ben']);
      chatId = (await storage.chats.createGroup({ name: 'outage', passwordHash: null, creatorId: ada!.user.id, memberIds: [ben!.user.id] })).id;
      adaToken = ada!.token;
      benToken = ben!.token;
    } finally {
      await storage.close();
    }
    server = await startServerProcess({
      env: { MONGODB_URI: uri, DATA_DIR: dataDir, JWT_SECRET: jwtSecret, BCRYPT_COST: '4', LOG_LEVEL: 'fatal', STATIC_DIR: join(dataDir, 'none') },
    });
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await server?.stop();
    await ferret?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('sends fail with store_unavailable while it is down, the server stays up, and work resumes when it is back', async () => {
    const ada = await signedIn(server, adaToken);
    const ben = await signedIn(server, benToken);
    sockets.push(ada, ben);
    const heardByBen: Message[] = [];
    ben.on('chat:message', (message) => heardByBen.push(message));

    const before = await send(ada, { chatId, clientId: randomUUID(), body: 'before the outage' });
    assert.equal(before.ok, true, 'sends work while the store is up');
    await waitFor(() => heardByBen.length === 1, 5_000);

    await ferret.halt('SIGKILL');
    const failedClientId = randomUUID();
    try {
      await expectOutageHandled(server, chatId, [ada, ben], failedClientId);
    } finally {
      // Back on the same port and data even when an assertion above failed, so the next test starts from a running store.
      await ferret.resume();
    }
    // The driver reconnects by itself; sends succeed again within a few seconds.
    let again: Ack<{ message: Message }> | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      again = await send(ada, { chatId, clientId: randomUUID(), body: 'after the outage' });
      if (again.ok) break;
      assert.equal(again.error.code, 'store_unavailable');
      await sleep(500);
    }
    assert.equal(again?.ok, true, 'sends succeed once the store is back');

    // The send that failed was not stored; its retry (same clientId) stores it exactly once.
    const retried = await send(ada, { chatId, clientId: failedClientId, body: 'during the outage' });
    const retriedAgain = await send(ada, { chatId, clientId: failedClientId, body: 'during the outage' });
    assert.equal(retried.ok && retriedAgain.ok && retried.data.message.id === retriedAgain.data.message.id, true);
    const history = await call(ada, 'chat:history', { chatId, limit: 50 });
    assert.equal(history.ok, true);
    if (history.ok) {
      assert.deepEqual(
        history.data.messages.filter((m) => m.kind === 'text').map((m) => m.body),
        ['before the outage', 'after the outage', 'during the outage'],
      );
    }
    await waitFor(() => heardByBen.length === 3, 5_000);
    assert.deepEqual(heardByBen.map((m) => m.body), ['before the outage', 'after the outage', 'during the outage']);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  });

  test('a store that stops answering (frozen, connections open) under concurrent sends fails each of them within seconds, as store_unavailable', async () => {
    const ada = await authenticatedSocket(server, adaToken, { waitMs: FROZEN_ACK_TIMEOUT_MS });
    sockets.push(ada);
    // Sends stream in while the store freezes, so some are caught mid-write: the driver then
    // reports a batched insert's timeout wrapped in a bulk write error. Every failure must still
    // say store_unavailable (a client retries only that), and every success must be stored.
    const pending: Array<Promise<{ body: string; ack: Ack<{ message: Message }> }>> = [];
    const started = Date.now();
    for (let i = 0; i < 24; i += 1) {
      const body = `into the void ${i}`;
      pending.push(send(ada, { chatId, clientId: randomUUID(), body }).then((ack) => ({ body, ack })));
      if (i === 6) ferret.freeze();
      await sleep(15);
    }
    let answers: Array<{ body: string; ack: Ack<{ message: Message }> }>;
    try {
      answers = await Promise.all(pending);
    } finally {
      ferret.thaw();
    }
    const answeredInMs = Date.now() - started;
    const failed = answers.filter((a) => !a.ack.ok);
    console.log(`store faults: ${answers.length} sends around a freeze, ${failed.length} failed, all answered in ${answeredInMs} ms`);
    assert.ok(failed.length > 0, 'sends to the frozen store fail');
    for (const { body, ack } of failed) {
      if (!ack.ok) assert.equal(ack.error.code, 'store_unavailable', `${body}: ${ack.error.code} ${ack.error.message}`);
    }
    assert.equal(server.child.exitCode, null, 'the server process is still running');

    let again: Ack<{ message: Message }> | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      again = await send(ada, { chatId, clientId: randomUUID(), body: 'thawed' });
      if (again.ok) break;
      await sleep(500);
    }
    assert.equal(again?.ok, true, 'sends succeed once the store answers again');
    const history = await call(ada, 'chat:history', { chatId, limit: 50 });
    assert.equal(history.ok, true);
    const stored = new Set(history.ok ? history.data.messages.map((m) => m.body) : []);
    for (const { body, ack } of answers) if (ack.ok) assert.ok(stored.has(body), `acknowledged "${body}" is stored`);
  });
});

/** While the store is down: the send fails with store_unavailable, the process stays up, readiness says why. */
async function expectOutageHandled(server: ServerProcess, chatId: string, sockets: [ClientSocket, ClientSocket], failedClientId: string): Promise<void> {
  const [ada, ben] = sockets;
  const started = Date.now();
  const during = await send(ada, { chatId, clientId: failedClientId, body: 'during the outage' });
  const answeredInMs = Date.now() - started;
  assert.equal(during.ok, false, 'a send is never acknowledged as stored while the store is down');
  if (!during.ok) {
    assert.equal(during.error.code, 'store_unavailable');
    assert.match(during.error.message, /unavailable/i);
  }
  console.log(`store faults: the failing send was answered in ${answeredInMs} ms`);

  // The process is still there and still answers; readiness says what is wrong.
  assert.equal(server.child.exitCode, null, 'the server process is still running');
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const readiness = await fetch(`${server.url}/readyz`);
  assert.equal(readiness.status, 503, 'not ready while the store is down');
  assert.ok(ada.connected && ben.connected, 'sockets stay connected through the outage');
}

/** A socket that waits long enough for any ack: a send to a missing store is answered only after the driver gives up. */
function signedIn(server: ServerProcess, token: string): Promise<ClientSocket> {
  return authenticatedSocket(server, token, { waitMs: ACK_TIMEOUT_MS });
}

function send(socket: ClientSocket, payload: { chatId: string; clientId: string; body: string }): Promise<Ack<{ message: Message }>> {
  return call(socket, 'chat:message', payload);
}
