/**
 * Every transport socket.io offers works, and nothing sent to the socket.io path can take the
 * server down. The server runs as a process of its own with a built web app in STATIC_DIR, so
 * the web app's catch-all route is live: if express also answered under /socket.io/, a
 * long-polling request would be answered twice and the process would crash (exit code 1).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Message } from '../../shared/src/schemas/messages.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { authenticatedSocket, closeAll, nextEvent, ok, textMessage, type ClientSocket } from './support/socket-client.js';
import { signUp, type SignedInUser } from './support/rest-users.js';
import { sleep } from './support/waiting.js';

const WAIT_MS = 10_000;
const INDEX_HTML = '<!doctype html><title>web app</title>';

describe('socket.io transports', { timeout: 120_000 }, () => {
  let server: ServerProcess;
  let dataDir: string;
  let ada: SignedInUser;
  let ben: SignedInUser;
  let chatId: string;
  const sockets: ClientSocket[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-transports-'));
    const staticDir = join(dataDir, 'web');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), INDEX_HTML);
    server = await startServerProcess({
      env: { DATA_DIR: dataDir, JWT_SECRET: randomBytes(48).toString('base64url'), BCRYPT_COST: '4', LOG_LEVEL: 'warn', STATIC_DIR: staticDir },
    });
    ada = await signUp(server.url, 'ada');
    ben = await signUp(server.url, 'ben');
  });

  after(async () => {
    closeAll(...sockets);
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The process is alive, logged no error, and serves a fresh WebSocket client. */
  async function assertStillServing(): Promise<void> {
    await sleep(300);
    assert.equal(server.isRunning(), true, `the server process exited:\n${server.output()}`);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.doesNotMatch(server.output(), /"level":(50|60)/, 'no error-level log line');
    const probe = await authenticatedSocket(server, ada.accessToken, { waitMs: WAIT_MS });
    probe.disconnect();
  }

  test('a long-polling-only client signs in, sends and receives, and catches up after a reconnect', async () => {
    const adaSocket = await authenticatedSocket(server, ada.accessToken, { transports: ['polling'], waitMs: WAIT_MS });
    const benSocket = await authenticatedSocket(server, ben.accessToken, { transports: ['polling'], waitMs: WAIT_MS });
    sockets.push(adaSocket, benSocket);
    assert.equal(adaSocket.io.engine.transport.name, 'polling');
    assert.equal(benSocket.io.engine.transport.name, 'polling');

    chatId = (await ok(adaSocket, 'chat:open', { userId: ben.id })).chat.id;
    const heardByBen = nextEvent(benSocket, 'chat:message', (m) => m.body === 'hello over polling');
    await ok(adaSocket, 'chat:message', textMessage(chatId, 'hello over polling'));
    assert.equal((await heardByBen).senderId, ada.id);
    const heardByAda = nextEvent(adaSocket, 'chat:message', (m) => m.body === 'hello back');
    const reply = await ok(benSocket, 'chat:message', textMessage(chatId, 'hello back'));
    assert.equal((await heardByAda).id, reply.message.id);

    // Ben goes away; Ada writes; Ben comes back over polling and gets exactly what he missed.
    benSocket.disconnect();
    const missed = await ok(adaSocket, 'chat:message', textMessage(chatId, 'while you were away'));
    const benAgain = await authenticatedSocket(server, ben.accessToken, { transports: ['polling'], waitMs: WAIT_MS });
    sockets.push(benAgain);
    const caughtUp = await ok(benAgain, 'sync', { chats: { [chatId]: reply.message.id } });
    assert.deepEqual(caughtUp.chats[chatId]?.messages.map((m: Message) => m.id), [missed.message.id]);

    // Long polls stay open past several rounds without the process crashing.
    await sleep(1_500);
    const lastWord = nextEvent(benAgain, 'chat:message', (m) => m.body === 'still here');
    await ok(adaSocket, 'chat:message', textMessage(chatId, 'still here'));
    await lastWord;
    await assertStillServing();
  });

  test('a client that starts with polling upgrades to WebSocket and keeps working', async () => {
    const socket = await authenticatedSocket(server, ben.accessToken, { transports: ['polling', 'websocket'], waitMs: WAIT_MS });
    sockets.push(socket);
    const engine = socket.io.engine;
    if (engine.transport.name !== 'websocket') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no upgrade to websocket')), WAIT_MS);
        engine.once('upgrade', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    assert.equal(engine.transport.name, 'websocket');
    const sent = await ok(socket, 'chat:message', textMessage(chatId, 'after the upgrade'));
    assert.equal(sent.message.body, 'after the upgrade');
    await assertStillServing();
  });

  test('raw engine.io requests, well-formed and malformed, are answered by engine.io alone and the process keeps serving', async () => {
    const base = `${server.url}/socket.io/?EIO=4&transport=polling`;

    // The sequence that once crashed the process: handshake, connect, then two polls.
    const handshake = await fetch(base);
    assert.equal(handshake.status, 200);
    const open = await handshake.text();
    assert.match(open, /^0\{/, 'an engine.io open packet');
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const session = `${base}&sid=${encodeURIComponent(sid)}`;
    assert.equal((await fetch(session, { method: 'POST', body: '40', headers: { 'content-type': 'text/plain' } })).status, 200);
    const firstPoll = await (await fetch(session)).text();
    assert.match(firstPoll, /^40/, 'the socket.io connect packet');
    // A bad token: the server answers `unauthorized` on the next poll, never the web app's page.
    await fetch(session, { method: 'POST', body: '42["authentication",{"token":"not-a-token"}]', headers: { 'content-type': 'text/plain' } });
    const secondPoll = await (await fetch(session, { signal: AbortSignal.timeout(WAIT_MS) })).text();
    assert.doesNotMatch(secondPoll, /web app|<!doctype/i, 'express never answers under the socket.io path');
    assert.match(secondPoll, /unauthorized/);

    const malformed: Array<{ what: string; url: string; init?: RequestInit }> = [
      { what: 'unknown transport', url: `${server.url}/socket.io/?EIO=4&transport=carrier-pigeon` },
      { what: 'unsupported protocol version', url: `${server.url}/socket.io/?EIO=2&transport=polling` },
      { what: 'no query at all', url: `${server.url}/socket.io/` },
      { what: 'unknown session', url: `${base}&sid=nope` },
      { what: 'a post to an unknown session', url: `${base}&sid=nope`, init: { method: 'POST', body: '40' } },
      { what: 'a garbage packet', url: session, init: { method: 'POST', body: '\u0000\u00ff{{{' } },
      { what: 'a packet past the size limit', url: session, init: { method: 'POST', body: `4${'x'.repeat(200_000)}` } },
      { what: 'a bad percent-escape', url: `${server.url}/socket.io/%E0?EIO=4&transport=polling` },
      { what: 'an unexpected method', url: base, init: { method: 'PUT', body: '40' } },
      { what: 'a websocket transport over plain GET', url: `${server.url}/socket.io/?EIO=4&transport=websocket` },
    ];
    for (const { what, url, init } of malformed) {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(WAIT_MS) }).catch((error: unknown) => error as Error);
      if (response instanceof Response) {
        const body = await response.text();
        assert.doesNotMatch(body, /web app|<!doctype/i, `${what}: answered by express`);
        assert.ok(response.status === 200 || (response.status >= 400 && response.status < 500), `${what}: status ${response.status}`);
      }
      assert.equal(server.isRunning(), true, `${what} stopped the server:\n${server.output()}`);
    }
    // Outside the socket.io path express still answers, and the web app is served.
    assert.equal(await (await fetch(`${server.url}/chats`)).text(), INDEX_HTML);
    await assertStillServing();
  });
});
