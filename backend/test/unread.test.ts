/**
 * The unread badge: `GET /api/me/unread` (checked against the OpenAPI document) and the
 * server-sent events stream `GET /api/me/unread/stream`, authenticated by a Bearer access token
 * or a short-lived stream token, pushed when the counts change.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestServer, type TestServer } from './start-test-server.js';
import { CheckedClient, OpenApiValidator } from './support/openapi-validator.js';
import { createUsers, type TestUser } from './support/stored-users.js';
import { readUnreadStream } from './support/unread-stream-client.js';

const WAIT_MS = 10_000;
const API_KEY = randomBytes(32).toString('base64url');

describe('unread counts for a host page badge', () => {
  let t: TestServer;
  let api: CheckedClient;
  let ada: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let team: string;
  let quiet: string;

  before(async () => {
    t = await startTestServer({ MAX_SOCKETS_PER_USER: 2, ADMIN_API_KEY: API_KEY });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
    [ada, ben, cleo] = await createUsers(t, 'ada', 'ben', 'cleo');
    const group = (name: string) =>
      t.server.storage.chats.createGroup({ name, passwordHash: null, creatorId: ben.user.id, memberIds: [ada.user.id, ben.user.id, cleo.user.id] });
    team = (await group('team')).id;
    quiet = (await group('quiet')).id;
  });

  after(async () => {
    await t?.close();
  });

  async function send(from: TestUser, chatId: string, body: string): Promise<{ id: string }> {
    const res = await api.post(`/api/chats/${chatId}/messages`, { token: from.token, body: { clientId: randomUUID(), body } });
    assert.equal(res.status, 201);
    return res.body.message;
  }

  const unreadOf = async (user: TestUser) => {
    const res = await api.get('/api/me/unread', { token: user.token });
    assert.equal(res.status, 200);
    return res.body as { unread: number; mentions: number };
  };

  test('GET /api/me/unread sums unread messages and mentions over the chats, muted chats left out', async () => {
    assert.deepEqual(await unreadOf(ada), { unread: 0, mentions: 0 });
    await send(ben, team, 'one');
    await send(ben, team, `two <@${ada.user.id}>`);
    const last = await send(cleo, quiet, 'three');
    assert.deepEqual(await unreadOf(ada), { unread: 3, mentions: 1 });
    assert.deepEqual(await unreadOf(ben), { unread: 1, mentions: 0 }, 'own messages are not unread');

    const muted = await api.call('put', `/api/chats/${quiet}/notify`, { token: ada.token, body: { level: 'muted' } });
    assert.equal(muted.status, 200);
    assert.deepEqual(await unreadOf(ada), { unread: 2, mentions: 1 });
    await api.call('put', `/api/chats/${quiet}/notify`, { token: ada.token, body: { level: 'all' } });

    const read = await api.post(`/api/chats/${quiet}/read`, { token: ada.token, body: { upTo: last.id } });
    assert.equal(read.status, 204);
    assert.deepEqual(await unreadOf(ada), { unread: 2, mentions: 1 });

    assert.equal((await api.get('/api/me/unread')).status, 401);
    assert.equal((await api.get('/api/me/unread', { token: 'not-a-token' })).status, 401);
  });

  test('the stream sends the counts at once and again when they change; a stream token opens it too', async () => {
    const stream = readUnreadStream(`${t.url}/api/me/unread/stream`, { authorization: `Bearer ${cleo.token}` });
    try {
      assert.equal(await stream.status, 200);
      const first = await stream.next(WAIT_MS);
      assert.deepEqual(first, await unreadOf(cleo));
      await send(ben, team, `for <@${cleo.user.id}>`);
      const second = await stream.next(WAIT_MS);
      assert.deepEqual(second, { unread: first.unread + 1, mentions: first.mentions + 1 });
      const { id } = await send(ada, team, 'and one more');
      const third = await stream.next(WAIT_MS);
      assert.equal(third.unread, first.unread + 2);
      await api.post(`/api/chats/${team}/read`, { token: cleo.token, body: { upTo: id } });
      const fourth = await stream.next(WAIT_MS);
      assert.deepEqual(fourth, await unreadOf(cleo));
      assert.ok(fourth.unread < third.unread);
    } finally {
      stream.close();
    }

    const issued = await api.post('/api/me/unread/tokens', { token: ada.token });
    assert.equal(issued.status, 200);
    assert.ok(issued.body.expiresInS > 0);
    const byToken = readUnreadStream(`${t.url}/api/me/unread/stream?token=${encodeURIComponent(issued.body.token)}`);
    try {
      assert.equal(await byToken.status, 200);
      assert.deepEqual(await byToken.next(WAIT_MS), await unreadOf(ada));
    } finally {
      byToken.close();
    }
  });

  test('a ban closes the streams of the banned user', async () => {
    const [dan] = await createUsers(t, 'dan');
    const stream = readUnreadStream(`${t.url}/api/me/unread/stream`, { authorization: `Bearer ${dan.token}` });
    try {
      assert.equal(await stream.status, 200);
      await stream.next(WAIT_MS);
      const closed = stream.closed();
      const banned = await request(t.url).post(`/api/admin/users/${dan.user.id}/ban`).set('Authorization', `Bearer ${API_KEY}`).send({});
      assert.equal(banned.status, 200);
      await closed;
    } finally {
      stream.close();
    }
  });

  test('the stream refuses missing or wrong credentials, an access token as a stream token, and too many streams', async () => {
    const refused = async (path: string, headers: Record<string, string> = {}) => {
      let pending = request(t.url).get(path);
      for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
      return pending;
    };
    for (const [path, headers] of [
      ['/api/me/unread/stream', {}],
      ['/api/me/unread/stream?token=nonsense', {}],
      [`/api/me/unread/stream?token=${ada.token}`, {}], // an access token is not a stream token
      ['/api/me/unread/stream', { authorization: 'Bearer nonsense' }],
      ['/api/me/unread/stream', { authorization: 'Basic abc' }],
    ] as const) {
      const res = await refused(path, headers);
      assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
      assert.equal(res.body.error.code, 'unauthenticated');
    }
    const open = [1, 2].map(() => readUnreadStream(`${t.url}/api/me/unread/stream`, { authorization: `Bearer ${ben.token}` }));
    try {
      for (const stream of open) {
        assert.equal(await stream.status, 200);
        await stream.next(WAIT_MS);
      }
      const third = await refused('/api/me/unread/stream', { authorization: `Bearer ${ben.token}` });
      assert.equal(third.status, 429);
      assert.equal(third.body.error.code, 'rate_limited');
    } finally {
      for (const stream of open) stream.close();
    }
  });
});
