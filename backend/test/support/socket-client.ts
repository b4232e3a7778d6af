/**
 * A socket.io client as a test drives one: connect, do the `authentication {token}` →
 * `authenticated` handshake, ask with an ack, wait for events.
 *
 * Every wait is bounded by the socket's `waitMs`, chosen when the socket is opened (WAIT_MS
 * unless told): tests against separate server processes allow more.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../../shared/src/api-error.js';
import type { SelfUser } from '../../../shared/src/schemas/users.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/socket-events.js';
import type { AckData, RequestEvent } from '../../src/operations/operation.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a test waits for something that should happen. */
export const WAIT_MS = 3000;
/** How long a test watches for something that must not happen. */
export const QUIET_MS = 300;

/** What a socket connects to: a test server or a server process. */
export interface Reachable {
  url: string;
}

/** A user a socket can sign in as. */
export interface Credentials {
  user: { id: string };
  token: string;
}

export interface SocketOptions {
  transports?: string[];
  /** How long this socket waits for anything: connection, handshake, acks, events (WAIT_MS unless told). */
  waitMs?: number;
  /** socket.io's own connection timeout (its default unless told). */
  connectTimeoutMs?: number;
}

const waitMsBySocket = new WeakMap<ClientSocket, number>();

function waitMsOf(socket: ClientSocket): number {
  return waitMsBySocket.get(socket) ?? WAIT_MS;
}

/** A connected socket that has not authenticated. Rejects (and closes it) when it cannot connect. */
export async function connectSocket(server: Reachable, options: SocketOptions = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(server.url, {
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.connectTimeoutMs !== undefined && { timeout: options.connectTimeoutMs }),
  });
  const waitMs = options.waitMs ?? WAIT_MS;
  waitMsBySocket.set(socket, waitMs);
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`socket did not connect to ${server.url}`)), waitMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', fail);
  });
  return socket;
}

/** Sends `authentication` and resolves with what came back: the user, or the refusal. */
export async function authenticate(socket: ClientSocket, token: unknown): Promise<{ user?: SelfUser; refusal?: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to authentication')), waitMsOf(socket));
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

/** A socket signed in with the token. Rejects (and closes it) when it cannot connect or is refused. */
export async function authenticatedSocket(server: Reachable, token: string, options: SocketOptions = {}): Promise<ClientSocket> {
  const socket = await connectSocket(server, options);
  try {
    const { refusal } = await authenticate(socket, token);
    if (refusal !== undefined) throw new Error(`unauthorized: ${refusal}`);
  } catch (error) {
    socket.disconnect();
    throw error;
  }
  return socket;
}

/** A socket signed in as the user (one browser tab); asserts the server took it for that user. */
export async function connectAs(server: Reachable, who: Credentials): Promise<ClientSocket> {
  const socket = await connectSocket(server);
  const { user, refusal } = await authenticate(socket, who.token);
  assert.equal(refusal, undefined, `authentication refused: ${refusal}`);
  assert.equal(user?.id, who.user.id);
  return socket;
}

/** `connectAs` for each user given, one after the other: `const [adaTab, benTab] = await connectEach(t, ada, ben)`. */
export async function connectEach<Users extends Credentials[]>(server: Reachable, ...users: Users): Promise<{ [K in keyof Users]: ClientSocket }> {
  const sockets: ClientSocket[] = [];
  for (const who of users) sockets.push(await connectAs(server, who));
  return sockets as { [K in keyof Users]: ClientSocket };
}

/** Emits a request and resolves with its ack. */
export async function call<E extends RequestEvent>(socket: ClientSocket, event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<Ack<AckData<E>>> {
  return rawCall(socket, event, payload) as Promise<Ack<AckData<E>>>;
}

/** Emits anything (bad input included) with an ack and resolves with the ack. */
export async function rawCall(socket: ClientSocket, event: string, ...args: unknown[]): Promise<unknown> {
  const untyped = socket.timeout(waitMsOf(socket)) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
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
  timeoutMs = waitMsOf(socket),
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

/** Resolves when the socket is disconnected, with the reason. */
export function disconnected(socket: ClientSocket, timeoutMs = waitMsOf(socket)): Promise<string> {
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
