/**
 * One user's requests about messages, over a socket or over REST, with the same outcome shape,
 * so that a test body runs unchanged on both transports. REST answers pass through the OpenAPI
 * validator; every user also keeps a socket open to hear live events.
 */
import { randomUUID } from 'node:crypto';
import type { Ack } from '../../../shared/src/api-error.js';
import type { ChatSummary } from '../../../shared/src/schemas/chats.js';
import type { NotifySetting } from '../../../shared/src/schemas/mentions.js';
import type { HistoryPage, Message } from '../../../shared/src/schemas/messages.js';
import type { SyncRequest, SyncResult } from '../../../shared/src/schemas/sync.js';
import type { CheckedClient } from './openapi-validator.js';
import { call, type ClientSocket } from './socket-client.js';

export type Transport = 'socket' | 'rest';

export type Outcome<T> = { ok: true; data: T } | { ok: false; code: string; message: string; fields?: Record<string, string> };

export interface MessageClient {
  userId: string;
  /** The user's socket: always connected, it hears the live events (and carries the requests when the transport is `socket`). */
  socket: ClientSocket;
  send(chatId: string, body: string, options?: { replyTo?: string; clientId?: string }): Promise<Outcome<{ message: Message }>>;
  edit(chatId: string, messageId: string, body: string): Promise<Outcome<{ message: Message }>>;
  remove(chatId: string, messageId: string): Promise<Outcome<{ message: Message }>>;
  react(chatId: string, messageId: string, emoji: string, on?: boolean): Promise<Outcome<{ message: Message }>>;
  history(chatId: string, query?: { before?: string; around?: string; limit?: number }): Promise<Outcome<HistoryPage>>;
  sync(request: SyncRequest): Promise<Outcome<SyncResult>>;
  chats(): Promise<Outcome<{ chats: ChatSummary[] }>>;
  /** Sets the user's notification level of a chat; `level` is sent as given, so bad input can be tried. */
  notify(chatId: string, level: unknown): Promise<Outcome<NotifySetting>>;
}

function fromAck<T>(ack: Ack<T>): Outcome<T> {
  if (ack.ok) return { ok: true, data: ack.data };
  return { ok: false, code: ack.error.code, message: ack.error.message, ...(ack.error.fields && { fields: ack.error.fields }) };
}

function fromResponse<T>(res: { status: number; body: unknown }): Outcome<T> {
  if (res.status >= 200 && res.status < 300) return { ok: true, data: res.body as T };
  const error = (res.body as { error: { code: string; message: string; fields?: Record<string, string> } }).error;
  return { ok: false, code: error.code, message: error.message, ...(error.fields && { fields: error.fields }) };
}

export function socketClient(userId: string, socket: ClientSocket): MessageClient {
  return {
    userId,
    socket,
    send: async (chatId, body, options = {}) =>
      fromAck(await call(socket, 'chat:message', { chatId, clientId: options.clientId ?? randomUUID(), body, ...(options.replyTo && { replyTo: options.replyTo }) })),
    edit: async (chatId, messageId, body) => fromAck(await call(socket, 'message:edit', { chatId, messageId, body })),
    remove: async (chatId, messageId) => fromAck(await call(socket, 'message:delete', { chatId, messageId })),
    react: async (chatId, messageId, emoji, on = true) => fromAck(await call(socket, 'message:react', { chatId, messageId, emoji, on })),
    history: async (chatId, query = {}) => fromAck(await call(socket, 'chat:history', { chatId, ...query })),
    sync: async (request) => fromAck(await call(socket, 'sync', request)),
    chats: async () => fromAck(await call(socket, 'chat:list', {})),
    notify: async (chatId, level) => fromAck(await call(socket, 'chat:notify', { chatId, level } as NotifySetting)),
  };
}

export function restClient(userId: string, socket: ClientSocket, api: CheckedClient, token: string): MessageClient {
  const messagePath = (chatId: string, messageId: string) => `/api/chats/${chatId}/messages/${messageId}`;
  return {
    userId,
    socket,
    send: async (chatId, body, options = {}) =>
      fromResponse(
        await api.post(`/api/chats/${chatId}/messages`, {
          token,
          body: { clientId: options.clientId ?? randomUUID(), body, ...(options.replyTo && { replyTo: options.replyTo }) },
        }),
      ),
    edit: async (chatId, messageId, body) => fromResponse(await api.patch(messagePath(chatId, messageId), { token, body: { body } })),
    remove: async (chatId, messageId) => fromResponse(await api.delete(messagePath(chatId, messageId), { token })),
    react: async (chatId, messageId, emoji, on = true) =>
      fromResponse(await api.call('put', `${messagePath(chatId, messageId)}/reactions`, { token, body: { emoji, on } })),
    history: async (chatId, query = {}) => {
      const params = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]));
      return fromResponse(await api.get(`/api/chats/${chatId}/messages${params.size > 0 ? `?${params}` : ''}`, { token }));
    },
    sync: async (request) => fromResponse(await api.post('/api/sync', { token, body: request })),
    chats: async () => fromResponse(await api.get('/api/chats', { token })),
    notify: async (chatId, level) => fromResponse(await api.call('put', `/api/chats/${chatId}/notify`, { token, body: { level } })),
  };
}

/** The data of a successful outcome; fails (with the code) otherwise. */
export function okData<T>(outcome: Outcome<T>, what = 'request'): T {
  if (!outcome.ok) throw new Error(`${what} failed: ${outcome.code} ${JSON.stringify(outcome.fields ?? {})}`);
  return outcome.data;
}

/** The error code of a failed outcome; fails when it succeeded. */
export function errorCode(outcome: Outcome<unknown>, what = 'request'): string {
  if (outcome.ok) throw new Error(`${what} should have failed: ${JSON.stringify(outcome.data).slice(0, 300)}`);
  return outcome.code;
}

/** One run of a transport test: over which transport, and on which MongoDB database (none: SQLite). */
export interface TransportLeg {
  transport: Transport;
  mongoUri?: string;
}

/**
 * Both transports on SQLite; with MONGODB_URI set, the socket transport on MongoDB too, in a
 * database of its own named after `name`.
 */
export function transportLegs(name: string): TransportLeg[] {
  const mongo = process.env['MONGODB_URI'];
  const legs: TransportLeg[] = [{ transport: 'socket' }, { transport: 'rest' }];
  if (mongo) {
    const url = new URL(mongo);
    url.pathname = `/${name}_${randomUUID().slice(0, 8)}`;
    legs.push({ transport: 'socket', mongoUri: url.toString() });
  }
  return legs;
}
