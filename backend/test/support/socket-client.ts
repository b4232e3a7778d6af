import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcrypt';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../../shared/src/api-error.js';
import type { SelfUser } from '../../../shared/src/domain.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/socket-events.js';
import { AccessTokens } from '../../src/accounts/access-tokens.js';
import type { AckData, RequestEvent } from '../../src/realtime/handle-request.js';
import type { UserRecord } from '../../src/storage/storage.js';
import type { TestServer } from '../start-test-server.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a test waits for something that should happen. */
export const WAIT_MS = 3000;
/** How long a test watches for something that must not happen. */
export const QUIET_MS = 300;

export interface TestUser {
  user: UserRecord;
  token: string;
}

/** A user stored directly (cheap bcrypt hash) with a fresh access token of the server's own signer. */
export async function createUser(t: TestServer, username: string): Promise<TestUser> {
  const user = await t.server.storage.users.create({
    username,
    email: `${username.toLowerCase()}@example.test`,
    firstName: username,
    lastName: 'Tester',
    gender: 'unspecified',
    passwordHash: await bcrypt.hash('not-used-in-these-tests', 4),
  });
  const token = await new AccessTokens(t.config.JWT_SECRET, t.config.ACCESS_TOKEN_TTL_S).issue(user);
  return { user, token };
}

/** A connected socket that has not authenticated. */
export async function connectSocket(t: TestServer, options: { transports?: string[] } = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(t.url, { transports: options.transports ?? ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not connect')), WAIT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return socket;
}

/** Sends `authentication` and resolves with what came back: the user, or the refusal. */
export async function authenticate(socket: ClientSocket, token: unknown): Promise<{ user?: SelfUser; refusal?: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to authentication')), WAIT_MS);
    socket.once('authenticated', (user) => {
      clearTimeout(timer);
      resolve({ user });
    });
    socket.once('unauthorized', (err) => {
      clearTimeout(timer);
      resolve({ refusal: err.message });
    });
    (socket.emit as (event: string, payload: unknown) => void)('authentication', { token });
  });
}

/** A socket signed in as the user (one browser tab). */
export async function connectAs(t: TestServer, who: TestUser): Promise<ClientSocket> {
  const socket = await connectSocket(t);
  const { user, refusal } = await authenticate(socket, who.token);
  assert.equal(refusal, undefined, `authentication refused: ${refusal}`);
  assert.equal(user?.id, who.user.id);
  return socket;
}

/** Emits a request and resolves with its ack. */
export async function call<E extends RequestEvent>(socket: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack<AckData<E>>> {
  return rawCall(socket, event, payload) as Promise<Ack<AckData<E>>>;
}

/** Emits anything (bad input included) with an ack and resolves with the ack. */
export async function rawCall(socket: ClientSocket, event: string, ...args: unknown[]): Promise<unknown> {
  const untyped = socket.timeout(WAIT_MS) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
  return untyped.emitWithAck(event, ...args);
}

/** Emits a request and returns its data, failing the test on an error ack. */
export async function ok<E extends RequestEvent>(socket: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<AckData<E>> {
  const ack = await call(socket, event, payload);
  if (!ack.ok) assert.fail(`${event} failed: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** Emits a request that must fail and returns the error code. */
export async function failure<E extends RequestEvent>(socket: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<string> {
  const ack = await call(socket, event, payload);
  assert.equal(ack.ok, false, `${event} should have failed`);
  return ack.ok ? '' : ack.error.code;
}

/** Resolves with the next `event` (matching `accept`, when given). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  accept: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = WAIT_MS,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const untyped = socket as unknown as { on(e: string, l: (p: unknown) => void): void; off(e: string, l: (p: unknown) => void): void };
    const listener = (payload: unknown) => {
      const typed = payload as Parameters<ServerToClientEvents[E]>[0];
      if (!accept(typed)) return;
      clearTimeout(timer);
      untyped.off(event, listener);
      resolve(typed);
    };
    const timer = setTimeout(() => {
      untyped.off(event, listener);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    untyped.on(event, listener);
  });
}

/** Records every event a socket receives, from now on. */
export function recordEvents(socket: ClientSocket): Array<{ event: string; payload: unknown }> {
  const events: Array<{ event: string; payload: unknown }> = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  return events;
}

/** Fails when any event was recorded (names them). */
export function assertHeardNothing(events: Array<{ event: string }>, message?: string): void {
  assert.deepEqual(events.map((e) => e.event), [], message);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when the socket is disconnected, with the reason. */
export function disconnected(socket: ClientSocket, timeoutMs = WAIT_MS): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket stayed connected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A text message request with a fresh clientId. */
export function textMessage(chatId: string, body: string, clientId: string = randomUUID()): { chatId: string; clientId: string; body: string } {
  return { chatId, clientId, body };
}

/** Closes sockets, ignoring those already closed. */
export function closeAll(...sockets: Array<ClientSocket | undefined>): void {
  for (const socket of sockets) socket?.disconnect();
}
