import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import cookieParser from 'cookie-parser';
import express from 'express';
import { pino } from 'pino';
import type { Ack } from '../../shared/src/api-error.js';
import { chatRefSchema } from '../../shared/src/schemas/chats.js';
import { AccessTokens } from '../src/accounts/access-tokens.js';
import type { AdminAuthorization } from '../src/admin/admin-authorization.js';
import { AppError } from '../src/app-error.js';
import { errorMiddleware } from '../src/http/error-middleware.js';
import { createRestOperations } from '../src/http/rest-operations.js';
import { operation } from '../src/operations/operation.js';
import type { Pipeline } from '../src/operations/pipeline.js';
import type { UseCaseDeps } from '../src/operations/use-case-deps.js';
import type { ChatSocket } from '../src/realtime/create-socket-server.js';
import { attachSocketOperations } from '../src/realtime/socket-operations.js';
import type { WriteBudget } from '../src/rate-limits/write-budget.js';
import { StoreUnavailableError } from '../src/storage/errors.js';
import type { Storage, UserRecord } from '../src/storage/storage.js';

const USER_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const CHAT_ID = '01BX5ZZKBKACTAV9WEVGEMMVRZ';
const SECRET_BODY = 'do-not-log-this-body';

/** What the probe's use case does next; each test sets it. */
let next: () => Promise<null> = async () => null;
let runs = 0;

/** One operation on both transports: `chat:delete` and POST /api/chats/:id/probe. */
const probe = operation({
  name: 'probe',
  access: 'user',
  input: chatRefSchema,
  event: 'chat:delete',
  rest: {
    method: 'post',
    path: '/api/chats/:id/probe',
    input: { from: 'body', path: { chatId: 'id' }, required: false },
    success: { 204: 'Done' },
    tag: 'chats',
    summary: 'A probe',
  },
  run: () => {
    runs += 1;
    return next();
  },
});

const pipeline: Pipeline = {
  deps: {} as UseCaseDeps,
  writeBudget: { take: async () => {} } as unknown as WriteBudget,
};

/** Log lines, to check what is (not) written. */
const logLines: string[] = [];
const logger = pino(
  { level: 'debug' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  }),
);

/** A socket that only records listeners: the adapter's side of socket.io. */
function fakeSocket(): { socket: ChatSocket; emit: (event: string, ...args: unknown[]) => void } {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const socket = { on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener) } as unknown as ChatSocket;
  return { socket, emit: (event, ...args) => listeners.get(event)?.(...args) };
}

function socketChannel(admitted = () => true) {
  const { socket, emit } = fakeSocket();
  attachSocketOperations(
    { socket, call: { principal: { actor: { userId: USER_ID, socketId: 's1' } }, admission: { take: admitted }, objectInputOnly: true }, logger },
    pipeline,
    [probe],
  );
  return {
    emit,
    request: (payload: unknown) =>
      new Promise<Ack<unknown>>((resolve) => {
        // As the client receives it: serialized.
        emit('chat:delete', payload, (ack: Ack<unknown>) => resolve(JSON.parse(JSON.stringify(ack)) as Ack<unknown>));
      }),
  };
}

let server: Server;
let baseUrl: string;
let token: string;

before(async () => {
  const accessTokens = new AccessTokens('a-test-secret-that-is-long-enough-to-sign', 60);
  const user = { id: USER_ID, username: 'probe', status: 'active' } as UserRecord;
  const storage = { users: { byId: async (id: string) => (id === USER_ID ? user : null) } } as unknown as Storage;
  token = await accessTokens.issue(user);
  const routes = createRestOperations({
    config: { BODY_LIMIT: '100kb', SECURE_COOKIES: undefined, REFRESH_TOKEN_TTL_S: 60 },
    logger,
    pipeline,
    operations: [probe],
    accessTokens,
    storage,
    adminAuthorization: {} as AdminAuthorization,
  });
  const app = express();
  app.use('/api', express.json(), cookieParser(), routes.api);
  app.use(errorMiddleware(logger));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function restRequest(chatId: string, body: unknown) {
  const res = await fetch(`${baseUrl}/api/chats/${chatId}/probe`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? (JSON.parse(text) as { error: unknown }) : null };
}

describe('the socket and REST transports of one operation', () => {
  test('both answer success their way: the ack carries the data, REST the success status', async () => {
    next = async () => null;
    assert.deepEqual(await socketChannel().request({ chatId: CHAT_ID }), { ok: true, data: null });
    const rest = await restRequest(CHAT_ID, {});
    assert.equal(rest.status, 204);
  });

  test('map the same AppError the same way: the ack error is the HTTP error body, the status is its code', async () => {
    const cases: Array<[() => Promise<null>, number, string | null]> = [
      [() => Promise.reject(new AppError('conflict', 'Used elsewhere', { clientId: 'is already used' })), 409, null],
      [() => Promise.reject(new AppError('rate_limited', 'Too many changes; try again in 3 s', undefined, 3)), 429, '3'],
      [() => Promise.reject(new AppError('not_found', 'Chat not found')), 404, null],
      [() => Promise.reject(new StoreUnavailableError(new Error('down'))), 503, null],
      [() => Promise.reject(new TypeError('a bug')), 500, null],
    ];
    for (const [failure, status, retryAfter] of cases) {
      next = failure;
      const ack = await socketChannel().request({ chatId: CHAT_ID });
      const rest = await restRequest(CHAT_ID, {});
      assert.equal(ack.ok, false);
      assert.deepEqual(rest.body, { error: !ack.ok && ack.error });
      assert.equal(rest.status, status);
      assert.equal(rest.retryAfter, retryAfter);
    }
  });

  test('refuse invalid input with the same fields, before the use case runs', async () => {
    next = async () => null;
    const before = runs;
    const ack = await socketChannel().request({ chatId: 'not-an-id' });
    const rest = await restRequest('not-an-id', {});
    assert.equal(rest.status, 400);
    assert.deepEqual(rest.body, { error: !ack.ok && ack.error });
    assert.deepEqual(!ack.ok && ack.error.fields, { chatId: 'must be an id' });
    assert.equal(runs, before);
  });

  test('a socket event without an ack runs nothing; a socket over its rate gets rate_limited and the use case does not run', async () => {
    next = async () => null;
    const before = runs;
    const quiet = socketChannel();
    quiet.emit('chat:delete', { chatId: CHAT_ID });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(runs, before);
    const ack = await socketChannel(() => false).request({ chatId: CHAT_ID });
    assert.equal(!ack.ok && ack.error.code, 'rate_limited');
    assert.equal(runs, before);
  });

  test('an ack that throws does not escape, and the logs name the event and code, never the payload', async () => {
    next = () => Promise.reject(new AppError('not_found', 'Chat not found'));
    logLines.length = 0;
    const channel = socketChannel();
    channel.emit('chat:delete', { chatId: CHAT_ID, body: SECRET_BODY }, () => {
      throw new Error('client went away');
    });
    channel.emit('chat:delete', { chatId: CHAT_ID }, () => {
      throw new Error('client went away');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const log = logLines.join('');
    assert.match(log, /"event":"chat:delete"/);
    assert.match(log, /"code":"not_found"/);
    assert.match(log, /socket ack failed/);
    assert.doesNotMatch(log, new RegExp(SECRET_BODY));
  });
});
