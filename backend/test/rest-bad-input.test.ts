import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { ChatSummary, OpenedChat, RoomSearchHit } from '../../shared/src/schemas/chats.js';
import type { HistoryPage, Message } from '../../shared/src/schemas/messages.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { assertApiError } from './support/api-error-assertions.js';
import { signUpPerson, type Person } from './support/rest-users.js';

/** A well-formed id that names nothing. */
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

let t: TestServer;
let ann: Person;
let bob: Person;
let directId: string;
let groupId: string;
let firstMessage: Message;

/** What must not change when a request is refused. */
interface Snapshot {
  directHistory: HistoryPage;
  groupHistory: HistoryPage;
  annChats: ChatSummary[];
  bobChats: ChatSummary[];
  groups: RoomSearchHit[];
  annBlocks: string[];
}

async function snapshot(): Promise<Snapshot> {
  const ok = (res: request.Response) => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as unknown;
  };
  return {
    directHistory: ok(await ann.api.get(`/api/chats/${directId}/messages?limit=50`)) as HistoryPage,
    groupHistory: ok(await ann.api.get(`/api/chats/${groupId}/messages?limit=50`)) as HistoryPage,
    annChats: (ok(await ann.api.get('/api/chats')) as { chats: ChatSummary[] }).chats,
    bobChats: (ok(await bob.api.get('/api/chats')) as { chats: ChatSummary[] }).chats,
    groups: (ok(await ann.api.get('/api/groups')) as { rooms: RoomSearchHit[] }).rooms,
    annBlocks: (ok(await ann.api.get('/api/users/me/blocks')) as { userIds: string[] }).userIds,
  };
}

let baseline: Snapshot;

before(async () => {
  t = await startTestServer({ LOGIN_ATTEMPTS_PER_IP: 10_000, LOGIN_ATTEMPTS_PER_USERNAME: 10_000 });
  ann = await signUpPerson(t.url, 'bad_input_ann');
  bob = await signUpPerson(t.url, 'bad_input_bob');
  directId = ((await ann.api.post('/api/chats/direct').send({ userId: bob.user.id })).body as OpenedChat).chat.id;
  const sent = await ann.api.post(`/api/chats/${directId}/messages`).send({ clientId: randomUUID(), body: 'the only message' });
  assert.equal(sent.status, 201);
  firstMessage = (sent.body as { message: Message }).message;
  const group = await ann.api.post('/api/groups').send({ name: 'Bad input group', memberIds: [bob.user.id], visibility: 'public', password: 'group-pass' });
  assert.equal(group.status, 201);
  groupId = (group.body as { chat: ChatSummary }).chat.id;
  baseline = await snapshot();
});

after(() => t.close());

async function assertNothingChanged(): Promise<void> {
  assert.deepEqual(await snapshot(), baseline);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype is untouched');
}

type Method = 'post' | 'patch' | 'delete' | 'get';

interface BadCase {
  name: string;
  method: Method;
  path: () => string;
  /** An object is sent as JSON; a string is sent raw with `contentType`; a function is called first. */
  body?: unknown;
  contentType?: string;
  status: number;
  code: string;
  /** Field keys the error must name. */
  fields?: string[];
}

function sendCase(c: BadCase): Promise<request.Response> {
  let req = ann.api[c.method](c.path());
  if (c.contentType) req = req.set('Content-Type', c.contentType);
  const body: unknown = typeof c.body === 'function' ? (c.body as () => unknown)() : c.body;
  return body === undefined ? req : req.send(body as object);
}

const uuid = '6f1f4a52-5c3e-4f7e-9a59-5d3d2b7e8c10';
const messages = () => `/api/chats/${directId}/messages`;

const cases: BadCase[] = [
  // Sending a message: every kind of bad body.
  { name: 'send: body missing', method: 'post', path: messages, body: { clientId: uuid }, status: 400, code: 'validation_failed', fields: ['body'] },
  { name: 'send: clientId missing', method: 'post', path: messages, body: { body: 'x' }, status: 400, code: 'validation_failed', fields: ['clientId'] },
  { name: 'send: everything missing', method: 'post', path: messages, body: {}, status: 400, code: 'validation_failed', fields: ['clientId', 'body'] },
  { name: 'send: body a number', method: 'post', path: messages, body: { clientId: uuid, body: 42 }, status: 400, code: 'validation_failed', fields: ['body'] },
  { name: 'send: body an object', method: 'post', path: messages, body: { clientId: uuid, body: { text: 'x' } }, status: 400, code: 'validation_failed', fields: ['body'] },
  { name: 'send: body blank', method: 'post', path: messages, body: { clientId: uuid, body: '   \n ' }, status: 400, code: 'validation_failed', fields: ['body'] },
  { name: 'send: body over 4000 characters', method: 'post', path: messages, body: { clientId: uuid, body: 'x'.repeat(4001) }, status: 400, code: 'validation_failed', fields: ['body'] },
  { name: 'send: clientId not a UUID', method: 'post', path: messages, body: { clientId: 'abc', body: 'x' }, status: 400, code: 'validation_failed', fields: ['clientId'] },
  { name: 'send: clientId a number', method: 'post', path: messages, body: { clientId: 7, body: 'x' }, status: 400, code: 'validation_failed', fields: ['clientId'] },
  { name: 'send: unknown field', method: 'post', path: messages, body: { clientId: uuid, body: 'x', senderId: 'someone' }, status: 400, code: 'validation_failed', fields: ['senderId'] },
  { name: 'send: chatId in the body too', method: 'post', path: messages, body: () => ({ clientId: uuid, body: 'x', chatId: groupId }), status: 400, code: 'validation_failed', fields: ['chatId'] },
  {
    name: 'send: a __proto__ key',
    method: 'post',
    path: messages,
    body: `{"clientId":"${uuid}","body":"x","__proto__":{"polluted":true}}`,
    contentType: 'application/json',
    status: 400,
    code: 'validation_failed',
    fields: ['__proto__'],
  },
  {
    name: 'send: a constructor key',
    method: 'post',
    path: messages,
    body: `{"clientId":"${uuid}","body":"x","constructor":{"prototype":{"polluted":true}}}`,
    contentType: 'application/json',
    status: 400,
    code: 'validation_failed',
    fields: ['constructor'],
  },
  { name: 'send: 1 MB body', method: 'post', path: messages, body: { clientId: uuid, body: 'x'.repeat(1024 * 1024) }, status: 413, code: 'payload_too_large' },
  { name: 'send: malformed JSON', method: 'post', path: messages, body: '{"clientId": "', contentType: 'application/json', status: 400, code: 'validation_failed' },
  { name: 'send: a JSON array', method: 'post', path: messages, body: `[{"clientId":"${uuid}","body":"x"}]`, contentType: 'application/json', status: 400, code: 'validation_failed' },
  { name: 'send: a JSON string', method: 'post', path: messages, body: '"hello"', contentType: 'application/json', status: 400, code: 'validation_failed' },
  { name: 'send: JSON null', method: 'post', path: messages, body: 'null', contentType: 'application/json', status: 400, code: 'validation_failed' },
  { name: 'send: a JSON number', method: 'post', path: messages, body: '42', contentType: 'application/json', status: 400, code: 'validation_failed' },
  { name: 'send: plain text', method: 'post', path: messages, body: 'hello there', contentType: 'text/plain', status: 400, code: 'validation_failed', fields: ['clientId', 'body'] },
  { name: 'send: a form', method: 'post', path: messages, body: `clientId=${uuid}&body=x`, contentType: 'application/x-www-form-urlencoded', status: 400, code: 'validation_failed', fields: ['clientId', 'body'] },
  { name: 'send: chat id not an id', method: 'post', path: () => '/api/chats/not-an-id/messages', body: { clientId: uuid, body: 'x' }, status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'send: chat id in lower case', method: 'post', path: () => `/api/chats/${directId.toLowerCase()}/messages`, body: { clientId: uuid, body: 'x' }, status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'send: unknown chat', method: 'post', path: () => `/api/chats/${UNKNOWN_ID}/messages`, body: { clientId: uuid, body: 'x' }, status: 404, code: 'not_found' },

  // History: bad query strings.
  { name: 'history: limit not a number', method: 'get', path: () => `${messages()}?limit=ten`, status: 400, code: 'validation_failed', fields: ['limit'] },
  { name: 'history: limit 0', method: 'get', path: () => `${messages()}?limit=0`, status: 400, code: 'validation_failed', fields: ['limit'] },
  { name: 'history: limit 51', method: 'get', path: () => `${messages()}?limit=51`, status: 400, code: 'validation_failed', fields: ['limit'] },
  { name: 'history: limit 1.5', method: 'get', path: () => `${messages()}?limit=1.5`, status: 400, code: 'validation_failed', fields: ['limit'] },
  { name: 'history: limit twice', method: 'get', path: () => `${messages()}?limit=1&limit=2`, status: 400, code: 'validation_failed', fields: ['limit'] },
  { name: 'history: before not an id', method: 'get', path: () => `${messages()}?before=yesterday`, status: 400, code: 'validation_failed', fields: ['before'] },
  { name: 'history: unknown parameter', method: 'get', path: () => `${messages()}?sort=desc`, status: 400, code: 'validation_failed', fields: ['sort'] },
  { name: 'history: chatId in the query too', method: 'get', path: () => `${messages()}?chatId=${groupId}`, status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'history: unknown before', method: 'get', path: () => `${messages()}?before=${UNKNOWN_ID}`, status: 404, code: 'not_found' },
  { name: 'history: unknown chat', method: 'get', path: () => `/api/chats/${UNKNOWN_ID}/messages`, status: 404, code: 'not_found' },
  { name: 'get chat: bad id', method: 'get', path: () => '/api/chats/..%2F..%2Fetc', status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'chat list: unknown parameter', method: 'get', path: () => '/api/chats?all=1', status: 400, code: 'validation_failed', fields: ['all'] },

  // Receipts and deleting.
  { name: 'read: upTo missing', method: 'post', path: () => `/api/chats/${directId}/read`, body: {}, status: 400, code: 'validation_failed', fields: ['upTo'] },
  { name: 'read: upTo a number', method: 'post', path: () => `/api/chats/${directId}/read`, body: { upTo: 5 }, status: 400, code: 'validation_failed', fields: ['upTo'] },
  { name: 'read: unknown field', method: 'post', path: () => `/api/chats/${directId}/read`, body: { upTo: UNKNOWN_ID, all: true }, status: 400, code: 'validation_failed', fields: ['all'] },
  { name: 'read: unknown message', method: 'post', path: () => `/api/chats/${directId}/read`, body: { upTo: UNKNOWN_ID }, status: 404, code: 'not_found' },
  { name: 'delivered: messageId not an id', method: 'post', path: () => `/api/chats/${directId}/delivered`, body: { messageId: 'x' }, status: 400, code: 'validation_failed', fields: ['messageId'] },
  { name: 'delivered: bad chat id', method: 'post', path: () => '/api/chats/123/delivered', body: { messageId: UNKNOWN_ID }, status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'delete: bad chat id', method: 'delete', path: () => '/api/chats/nope', status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'delete: unknown chat', method: 'delete', path: () => `/api/chats/${UNKNOWN_ID}`, status: 404, code: 'not_found' },
  { name: 'delete: unknown field', method: 'delete', path: () => `/api/chats/${directId}`, body: { forEveryone: true }, status: 400, code: 'validation_failed', fields: ['forEveryone'] },

  // Direct chats.
  { name: 'direct: userId missing', method: 'post', path: () => '/api/chats/direct', body: {}, status: 400, code: 'validation_failed', fields: ['userId'] },
  { name: 'direct: userId an array', method: 'post', path: () => '/api/chats/direct', body: { userId: [UNKNOWN_ID] }, status: 400, code: 'validation_failed', fields: ['userId'] },
  { name: 'direct: userId not an id', method: 'post', path: () => '/api/chats/direct', body: { userId: 'bad_input_bob' }, status: 400, code: 'validation_failed', fields: ['userId'] },
  { name: 'direct: unknown user', method: 'post', path: () => '/api/chats/direct', body: { userId: UNKNOWN_ID }, status: 404, code: 'not_found' },

  // Groups.
  { name: 'create group: name missing', method: 'post', path: () => '/api/groups', body: { memberIds: [] }, status: 400, code: 'validation_failed', fields: ['name'] },
  { name: 'create group: name blank', method: 'post', path: () => '/api/groups', body: { name: '  ', memberIds: [] }, status: 400, code: 'validation_failed', fields: ['name'] },
  { name: 'create group: name over 80', method: 'post', path: () => '/api/groups', body: { name: 'n'.repeat(81), memberIds: [] }, status: 400, code: 'validation_failed', fields: ['name'] },
  { name: 'create group: memberIds not an array', method: 'post', path: () => '/api/groups', body: { name: 'g', memberIds: 'everyone' }, status: 400, code: 'validation_failed', fields: ['memberIds'] },
  { name: 'create group: a bad member id', method: 'post', path: () => '/api/groups', body: { name: 'g', memberIds: ['x'] }, status: 400, code: 'validation_failed', fields: ['memberIds.0'] },
  { name: 'create group: password a number', method: 'post', path: () => '/api/groups', body: { name: 'g', memberIds: [], password: 12345 }, status: 400, code: 'validation_failed', fields: ['password'] },
  { name: 'create group: unknown field', method: 'post', path: () => '/api/groups', body: { name: 'g', memberIds: [], admins: [] }, status: 400, code: 'validation_failed', fields: ['admins'] },
  { name: 'create group: visibility unknown', method: 'post', path: () => '/api/groups', body: { name: 'g', memberIds: [], visibility: 'secret' }, status: 400, code: 'validation_failed', fields: ['visibility'] },
  { name: 'create group: a password on a private group', method: 'post', path: () => '/api/groups', body: { name: 'g', memberIds: [], password: 'group-pass' }, status: 400, code: 'validation_failed', fields: ['password'] },
  { name: 'create group: unknown member', method: 'post', path: () => '/api/groups', body: { name: 'g', memberIds: [UNKNOWN_ID] }, status: 400, code: 'validation_failed', fields: ['memberIds'] },
  { name: 'search groups: query over 80', method: 'get', path: () => `/api/groups?query=${'q'.repeat(81)}`, status: 400, code: 'validation_failed', fields: ['query'] },
  { name: 'update group: name a number', method: 'patch', path: () => `/api/groups/${groupId}`, body: { name: 5 }, status: 400, code: 'validation_failed', fields: ['name'] },
  { name: 'update group: promoteIds a string', method: 'patch', path: () => `/api/groups/${groupId}`, body: () => ({ promoteIds: bob.user.id }), status: 400, code: 'validation_failed', fields: ['promoteIds'] },
  { name: 'update group: unknown field', method: 'patch', path: () => `/api/groups/${groupId}`, body: () => ({ owner: bob.user.id }), status: 400, code: 'validation_failed', fields: ['owner'] },
  { name: 'update group: bad id', method: 'patch', path: () => '/api/groups/group-1', body: { name: 'x' }, status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'update group: unknown group', method: 'patch', path: () => `/api/groups/${UNKNOWN_ID}`, body: { name: 'x' }, status: 404, code: 'not_found' },
  { name: 'join: password a number', method: 'post', path: () => `/api/groups/${groupId}/join`, body: { password: 1234 }, status: 400, code: 'validation_failed', fields: ['password'] },
  { name: 'join: bad id', method: 'post', path: () => '/api/groups/x/join', body: {}, status: 400, code: 'validation_failed', fields: ['chatId'] },
  { name: 'join: unknown group', method: 'post', path: () => `/api/groups/${UNKNOWN_ID}/join`, body: {}, status: 404, code: 'not_found' },
  { name: 'leave: unknown field', method: 'post', path: () => `/api/groups/${groupId}/leave`, body: { force: true }, status: 400, code: 'validation_failed', fields: ['force'] },
  { name: 'leave: bad id', method: 'post', path: () => '/api/groups/%00/leave', status: 400, code: 'validation_failed', fields: ['chatId'] },

  // Blocks.
  { name: 'block: bad user id', method: 'post', path: () => '/api/users/someone/block', status: 400, code: 'validation_failed', fields: ['userId'] },
  { name: 'block: unknown user', method: 'post', path: () => `/api/users/${UNKNOWN_ID}/block`, status: 404, code: 'not_found' },
  { name: 'block: userId in the body too', method: 'post', path: () => `/api/users/${bob.user.id}/block`, body: { userId: UNKNOWN_ID }, status: 400, code: 'validation_failed', fields: ['userId'] },
  { name: 'unblock: bad user id', method: 'delete', path: () => '/api/users/someone/block', status: 400, code: 'validation_failed', fields: ['userId'] },

  // Sync.
  { name: 'sync: chats missing', method: 'post', path: () => '/api/sync', body: {}, status: 400, code: 'validation_failed', fields: ['chats'] },
  { name: 'sync: chats an array', method: 'post', path: () => '/api/sync', body: () => ({ chats: [directId] }), status: 400, code: 'validation_failed', fields: ['chats'] },
  { name: 'sync: a bad last id', method: 'post', path: () => '/api/sync', body: () => ({ chats: { [directId]: 'latest' } }), status: 400, code: 'validation_failed' },
  { name: 'sync: a bad chat id key', method: 'post', path: () => '/api/sync', body: { chats: { 'not-an-id': null } }, status: 400, code: 'validation_failed' },
];

describe('bad input over REST: a 4xx with {error:{code,message,fields?}}, and nothing stored', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const res = await sendCase(c);
      const error = assertApiError(res, c.status, c.code);
      for (const field of c.fields ?? []) {
        assert.equal(typeof error.fields?.[field], 'string', `fields.${field} in ${JSON.stringify(error)}`);
      }
      if (c.status === 400 && c.code === 'validation_failed' && c.fields) assert.ok(error.fields, 'validation errors name their fields');
    });
  }

  test('after all of them nothing changed, and the server still works', async () => {
    await assertNothingChanged();
    const ok = await ann.api.post(messages()).send({ clientId: randomUUID(), body: 'still alive' });
    assert.equal(ok.status, 201);
    const page = await ann.api.get(messages());
    assert.deepEqual((page.body as HistoryPage).messages.map((m) => m.id), [firstMessage.id, (ok.body as { message: Message }).message.id]);
  });
});

describe('field errors are those of the shared schema, as a socket ack gets them', () => {
  test('a bad send names the same fields with the same messages', async () => {
    const res = await ann.api.post(messages()).send({ clientId: 'abc', body: '', extra: 1 });
    const error = assertApiError(res, 400, 'validation_failed');
    assert.deepEqual(error.fields, { clientId: 'must be a UUID', body: 'must not be empty', extra: 'is not allowed' });
  });

  test('a bad path id is reported under the schema’s field name', async () => {
    const res = await ann.api.get('/api/chats/abc/messages');
    assert.deepEqual(assertApiError(res, 400, 'validation_failed').fields, { chatId: 'must be an id' });
  });
});

describe('authentication comes first', () => {
  const routes: Array<[Method, string]> = [
    ['get', '/api/chats'],
    ['post', '/api/chats/direct'],
    ['get', `/api/chats/${UNKNOWN_ID}`],
    ['delete', `/api/chats/${UNKNOWN_ID}`],
    ['get', `/api/chats/${UNKNOWN_ID}/messages`],
    ['post', `/api/chats/${UNKNOWN_ID}/messages`],
    ['post', `/api/chats/${UNKNOWN_ID}/read`],
    ['post', `/api/chats/${UNKNOWN_ID}/delivered`],
    ['post', '/api/groups'],
    ['get', '/api/groups'],
    ['patch', `/api/groups/${UNKNOWN_ID}`],
    ['post', `/api/groups/${UNKNOWN_ID}/join`],
    ['post', `/api/groups/${UNKNOWN_ID}/leave`],
    ['post', `/api/users/${UNKNOWN_ID}/block`],
    ['delete', `/api/users/${UNKNOWN_ID}/block`],
    ['get', '/api/users/me/blocks'],
    ['post', '/api/sync'],
  ];
  for (const [method, path] of routes) {
    test(`${method.toUpperCase()} ${path} without a token is 401`, async () => {
      const anonymous = request(t.url)[method](path);
      const res = await (method === 'get' ? anonymous : anonymous.send({ anything: 1 }));
      assertApiError(res, 401, 'unauthenticated');
      assert.equal(res.headers['www-authenticate'], 'Bearer');
    });
  }

  test('an invalid token is 401 invalid_token and stores nothing', async () => {
    const res = await request(t.url).post(messages()).set('Authorization', 'Bearer abc.def.ghi').send({ clientId: randomUUID(), body: 'x' });
    assertApiError(res, 401, 'unauthenticated');
    assert.match(String(res.headers['www-authenticate']), /invalid_token/);
    assert.equal(((await ann.api.get(`${messages()}?limit=50`)).body as HistoryPage).messages.length, 2);
  });
});
