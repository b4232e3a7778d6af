import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { PublicUser } from '../../shared/src/schemas/users.js';
import { pino } from 'pino';
import { PasswordHasher } from '../src/accounts/password-hasher.js';
import { AuditTrail } from '../src/admin/audit-trail.js';
import { bootstrapAdminFromConfig } from '../src/admin/bootstrap-admin.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { CheckedClient, OpenApiValidator, type CheckedResponse } from './support/openapi-validator.js';
import { registration, TEST_PASSWORD } from './support/rest-users.js';
import { authenticatedSocket, type ClientSocket } from './support/socket-client.js';

const ADMIN = { username: 'root-admin', password: 'Sturdy-Admin-Pass-42' };
const API_KEY = randomBytes(32).toString('base64url');

function refreshCookieOf(response: CheckedResponse): string {
  const cookies = [response.headers['set-cookie'] ?? []].flat();
  const cookie = cookies.find((c) => c.startsWith('refresh_token='));
  assert.ok(cookie, 'no refresh cookie');
  return cookie.split(';')[0]!;
}

describe('admin API', () => {
  let t: TestServer;
  let api: CheckedClient;
  let adminToken: string;
  let adminId: string;

  const logIn = (username: string, password = TEST_PASSWORD) => api.post('/api/auth/login', { body: { username, password } });
  async function tokenOf(username: string, password = TEST_PASSWORD): Promise<string> {
    const res = await logIn(username, password);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.accessToken as string;
  }
  async function create(username: string, overrides: Record<string, unknown> = {}): Promise<{ id: string; username: string }> {
    const res = await api.post('/api/admin/users', { token: API_KEY, body: registration(username, overrides) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }
  async function auditActions(): Promise<Array<{ action: string; targetId: string | null; actorId: string | null; details: Record<string, unknown> }>> {
    const res = await api.get('/api/admin/audit?limit=200', { token: API_KEY });
    assert.equal(res.status, 200);
    return res.body.entries;
  }

  before(async () => {
    t = await startTestServer({
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      ADMIN_API_KEY: API_KEY,
      LOGIN_ATTEMPTS_PER_IP: 1000,
      LOGIN_ATTEMPTS_PER_USERNAME: 1000,
    });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
    const res = await logIn(ADMIN.username, ADMIN.password);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.role, 'admin');
    adminToken = res.body.accessToken;
    adminId = res.body.user.id;
  });
  after(() => t.close());

  describe('who may call it', () => {
    test('no credential is 401, a wrong key is 401, a non-admin is 403', async () => {
      const none = await api.get('/api/admin/users');
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'unauthenticated');

      const wrongKey = await api.get('/api/admin/users', { token: API_KEY.slice(0, -1) + (API_KEY.endsWith('A') ? 'B' : 'A') });
      assert.equal(wrongKey.status, 401);
      assert.equal(wrongKey.body.error.code, 'unauthenticated');

      await create('plain-user');
      const plain = await api.get('/api/admin/users', { token: await tokenOf('plain-user') });
      assert.equal(plain.status, 403);
      assert.equal(plain.body.error.code, 'forbidden');

      // Refused before the body is even looked at: nothing is created.
      const sneaky = await api.post('/api/admin/users', { token: await tokenOf('plain-user'), body: registration('sneaky') });
      assert.equal(sneaky.status, 403);
      assert.equal(await t.server.storage.users.byUsername('sneaky'), null);
    });

    test('the API key and an administrator token both work', async () => {
      const byKey = await api.get('/api/admin/users', { token: API_KEY });
      assert.equal(byKey.status, 200);
      const byAdmin = await api.get('/api/admin/users', { token: adminToken });
      assert.equal(byAdmin.status, 200);
      assert.ok(byAdmin.body.users.some((u: { username: string }) => u.username === ADMIN.username));
      assert.equal(byAdmin.headers['cache-control'], 'no-store');
    });

    test('the start-up administrator exists once, and an existing account is promoted and given the password', async () => {
      const admins = (await api.get(`/api/admin/users?query=${ADMIN.username}`, { token: API_KEY })).body.users;
      assert.equal(admins.length, 1);
      assert.equal(admins[0].role, 'admin');
      assert.equal(admins[0].status, 'active');

      const existing = await create('promote-me', { password: 'Some-Other-Pass-99' });
      const storage = t.server.storage;
      await bootstrapAdminFromConfig(
        { ADMIN_USERNAME: 'promote-me', ADMIN_PASSWORD: 'New-Boot-Password-77' },
        { storage, passwords: new PasswordHasher(4), audit: new AuditTrail(storage.audit), logger: pino({ level: 'silent' }) },
      );
      const promoted = await api.get(`/api/admin/users/${existing.id}`, { token: API_KEY });
      assert.equal(promoted.body.role, 'admin');
      assert.equal((await logIn('promote-me', 'New-Boot-Password-77')).status, 200);
      const entries = await auditActions();
      assert.ok(entries.some((e) => e.action === 'admin.bootstrap' && e.targetId === adminId && e.details['outcome'] === 'created'));
      assert.ok(entries.some((e) => e.action === 'admin.bootstrap' && e.targetId === existing.id && e.details['outcome'] === 'updated'));
    });
  });

  describe('creating users', () => {
    test('one user: created with the role asked for, and able to sign in', async () => {
      const res = await api.post('/api/admin/users', { token: adminToken, body: registration('Created-One', { role: 'admin', avatarUrl: 'https://img.example/a.png' }) });
      assert.equal(res.status, 201);
      assert.equal(res.body.username, 'Created-One');
      assert.equal(res.body.role, 'admin');
      assert.equal(res.body.status, 'active');
      assert.equal(res.body.hasPassword, true);
      assert.equal(res.body.avatarUrl, 'https://img.example/a.png');
      assert.equal('passwordHash' in res.body, false);
      assert.equal((await logIn('created-one')).status, 200);
    });

    test('a taken username (any case) is 409 naming the field; bad input is 400 per field', async () => {
      await create('taken-name');
      const taken = await api.post('/api/admin/users', { token: API_KEY, body: registration('TAKEN-NAME') });
      assert.equal(taken.status, 409);
      assert.deepEqual(Object.keys(taken.body.error.fields), ['username']);

      const bad = await api.post('/api/admin/users', { token: API_KEY, body: { ...registration('ok-name', { email: 'nope', password: 'short' }), extra: 1 } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'validation_failed');
      assert.ok(bad.body.error.fields.email);
      assert.ok(bad.body.error.fields.password);
      assert.ok(bad.body.error.fields.extra);
      assert.equal(await t.server.storage.users.byUsername('ok-name'), null);
    });

    test('a host-site user without a password, linked by externalId', async () => {
      const { password: _password, ...withoutPassword } = registration('host-only');
      const res = await api.post('/api/admin/users', { token: API_KEY, body: { ...withoutPassword, externalId: 'host-42' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.hasPassword, false);
      assert.equal(res.body.externalId, 'host-42');
      const again = await api.post('/api/admin/users', { token: API_KEY, body: { ...registration('host-other'), externalId: 'host-42' } });
      assert.equal(again.status, 409);
      assert.deepEqual(Object.keys(again.body.error.fields), ['externalId']);
      const neither = await api.post('/api/admin/users', { token: API_KEY, body: withoutPassword });
      assert.equal(neither.status, 400);
      assert.ok(neither.body.error.fields.password);
    });

    test('bulk: all created in order', async () => {
      const users = ['bulk-a', 'bulk-b', 'bulk-c'].map((name) => registration(name));
      const res = await api.post('/api/admin/users/bulk', { token: API_KEY, body: { users } });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.users.map((u: { username: string }) => u.username), ['bulk-a', 'bulk-b', 'bulk-c']);
      assert.equal((await logIn('bulk-b')).status, 200);
      const audit = (await auditActions()).find((e) => e.action === 'user.bulk_create');
      assert.ok(audit);
      assert.equal(audit.details['count'], 3);
      assert.equal(audit.details['via'], 'api-key');
      assert.equal(audit.actorId, null);
    });

    test('bulk: one bad item fails the lot, with errors keyed by item index', async () => {
      const users = [
        registration('lot-0'),
        registration('lot-1'),
        registration('lot-2'),
        registration('no spaces allowed', { email: 'lot-3@example.test' }),
        registration('lot-4', { email: 'not-an-email' }),
      ];
      const res = await api.post('/api/admin/users/bulk', { token: API_KEY, body: { users } });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'validation_failed');
      assert.deepEqual(Object.keys(res.body.error.fields).sort(), ['users.3.username', 'users.4.email']);
      const stored = await t.server.storage.users.search({ prefix: 'lot-', limit: 10 });
      assert.deepEqual(stored.users, [], 'nothing may be stored');
    });

    test('bulk: a name repeated within the request is 400, a name that exists is 409, and nothing is stored', async () => {
      const repeated = await api.post('/api/admin/users/bulk', {
        token: API_KEY,
        body: { users: [registration('twice-a'), registration('once-b'), registration('TWICE-a')] },
      });
      assert.equal(repeated.status, 400);
      assert.deepEqual(repeated.body.error.fields, { 'users.2.username': 'repeats users.0.username' });

      await create('already-here');
      const existing = await api.post('/api/admin/users/bulk', {
        token: API_KEY,
        body: { users: [registration('fresh-x'), registration('Already-Here'), registration('fresh-y')] },
      });
      assert.equal(existing.status, 409);
      assert.deepEqual(Object.keys(existing.body.error.fields), ['users.1.username']);
      for (const name of ['twice-a', 'once-b', 'fresh-x', 'fresh-y']) {
        assert.equal(await t.server.storage.users.byUsername(name), null, `${name} must not be stored`);
      }
    });

    test('bulk: 1000 users in one request, a body larger than BODY_LIMIT', async () => {
      const users = Array.from({ length: 1000 }, (_, i) =>
        registration(`mass-${String(i).padStart(4, '0')}`, { firstName: 'F'.repeat(60), lastName: 'L'.repeat(60) }),
      );
      assert.ok(JSON.stringify({ users }).length > 200_000);
      const res = await api.post('/api/admin/users/bulk', { token: API_KEY, body: { users } });
      assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 300));
      assert.equal(res.body.users.length, 1000);
      const stored = await t.server.storage.users.search({ prefix: 'mass-', limit: 1000 });
      assert.equal(stored.users.length, 1000);
      assert.equal((await logIn('mass-0999')).status, 200);
      // Elsewhere the ordinary limit still applies.
      const big = await api.post('/api/admin/users', { token: API_KEY, body: registration('big-one', { lastName: 'x'.repeat(200_000) }) });
      assert.equal(big.status, 413);
    });

    test('bulk: at most 1000 users, at least one', async () => {
      const tooMany = Array.from({ length: 1001 }, (_, i) => ({ username: `u${i}` }));
      const res = await api.post('/api/admin/users/bulk', { token: API_KEY, body: { users: tooMany } });
      assert.equal(res.status, 400);
      assert.ok(res.body.error.fields.users);
      const none = await api.post('/api/admin/users/bulk', { token: API_KEY, body: { users: [] } });
      assert.equal(none.status, 400);
    });
  });

  describe('changing users', () => {
    test('update names, email, gender, picture and role; the new role counts at once', async () => {
      const user = await create('to-update');
      const userToken = await tokenOf('to-update');
      assert.equal((await api.get('/api/admin/users', { token: userToken })).status, 403);

      const res = await api.patch(`/api/admin/users/${user.id}`, {
        token: adminToken,
        body: { firstName: 'Katherine', lastName: 'Johnson', email: 'kj@example.test', gender: 'unspecified', avatarUrl: null, role: 'admin' },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.firstName, 'Katherine');
      assert.equal(res.body.email, 'kj@example.test');
      assert.equal(res.body.role, 'admin');
      // The same access token now passes: the role is read fresh on every request.
      assert.equal((await api.get('/api/admin/users', { token: userToken })).status, 200);

      const entry = (await auditActions()).find((e) => e.action === 'user.update' && e.targetId === user.id);
      assert.ok(entry);
      assert.equal(entry.actorId, adminId);
      assert.deepEqual(entry.details['role'], { from: 'user', to: 'admin' });
    });

    test('update refusals: empty patch, unknown field, taken username, unknown user, demoting oneself', async () => {
      const user = await create('update-refusals');
      assert.equal((await api.patch(`/api/admin/users/${user.id}`, { token: API_KEY, body: {} })).status, 400);
      const unknownField = await api.patch(`/api/admin/users/${user.id}`, { token: API_KEY, body: { status: 'active' } });
      assert.equal(unknownField.status, 400);
      assert.ok(unknownField.body.error.fields.status);
      const taken = await api.patch(`/api/admin/users/${user.id}`, { token: API_KEY, body: { username: ADMIN.username.toUpperCase() } });
      assert.equal(taken.status, 409);
      assert.ok(taken.body.error.fields.username);
      assert.equal((await api.patch(`/api/admin/users/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { token: API_KEY, body: { firstName: 'X' } })).status, 404);
      assert.equal((await api.patch(`/api/admin/users/not-an-id`, { token: API_KEY, body: { firstName: 'X' } })).status, 400);
      const demoteSelf = await api.patch(`/api/admin/users/${adminId}`, { token: adminToken, body: { role: 'user' } });
      assert.equal(demoteSelf.status, 403);
    });

    test('reset password: the old one stops working, sessions end, weak ones are refused', async () => {
      const user = await create('forgetful');
      const session = await logIn('forgetful');
      const cookie = refreshCookieOf(session);

      const weak = await api.post(`/api/admin/users/${user.id}/password`, { token: API_KEY, body: { password: 'forgetful-1234' } });
      assert.equal(weak.status, 400);
      assert.ok(weak.body.error.fields.password);

      const res = await api.post(`/api/admin/users/${user.id}/password`, { token: API_KEY, body: { password: 'Brand-New-Secret-81' } });
      assert.equal(res.status, 204);
      assert.equal((await logIn('forgetful')).status, 401);
      assert.equal((await logIn('forgetful', 'Brand-New-Secret-81')).status, 200);
      const refresh = await api.post('/api/auth/refresh', { headers: { cookie } });
      assert.equal(refresh.status, 401, 'the refresh token from before the reset must be revoked');
      assert.ok((await auditActions()).some((e) => e.action === 'user.password_reset' && e.targetId === user.id));
    });
  });

  describe('profile changes reach connected clients', () => {
    test('an edited profile arrives as user:updated on other users\' sockets, without private fields', async () => {
      const watcher = await create('profile-watcher');
      const edited = await create('profile-edited');
      const socket = await authenticatedSocket(t, await tokenOf('profile-watcher'));
      try {
        const updated = new Promise<PublicUser>((resolve) =>
          socket.on('user:updated', (user: PublicUser) => {
            if (user.id === edited.id) resolve(user);
          }),
        );
        const res = await api.patch(`/api/admin/users/${edited.id}`, { token: API_KEY, body: { firstName: 'Renamed', avatarUrl: 'https://pics.example/r.png' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const user = await Promise.race([updated, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no user:updated')), 3000))]);
        assert.equal(user.firstName, 'Renamed');
        assert.equal(user.avatarUrl, 'https://pics.example/r.png');
        assert.equal('email' in user, false, 'the public profile carries no email');
        assert.equal('role' in user, false);
        assert.notEqual(watcher.id, edited.id);
      } finally {
        socket.close();
      }
    });
  });

  describe('ban, disable, enable', () => {
    function liveSocket(accessToken: string): Promise<ClientSocket> {
      return authenticatedSocket(t, accessToken);
    }

    for (const action of ['ban', 'disable'] as const) {
      test(`${action}: the live socket is cut at once, the refresh token dies, sign-in is refused`, async () => {
        const user = await create(`to-${action}`);
        const session = await logIn(`to-${action}`);
        const cookie = refreshCookieOf(session);
        const socket = await liveSocket(session.body.accessToken);
        const ended = new Promise<string>((resolve) => socket.once('session:ended', (p: { reason: string }) => resolve(p.reason)));
        const closed = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));

        const started = Date.now();
        const res = await api.post(`/api/admin/users/${user.id}/${action}`, { token: adminToken, body: { reason: 'spam' } });
        assert.equal(res.status, 200);
        assert.equal(res.body.status, action === 'ban' ? 'banned' : 'disabled');

        const closedAt = await Promise.race([closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('socket still open')), 2000))]);
        assert.ok(closedAt - started < 2000);
        assert.equal(socket.connected, false);
        assert.equal(await ended, action === 'ban' ? 'banned' : 'disabled');

        const refresh = await api.post('/api/auth/refresh', { headers: { cookie } });
        assert.ok([401, 403].includes(refresh.status), `refresh answered ${refresh.status}`);
        const again = await logIn(`to-${action}`);
        assert.equal(again.status, 403);
        const rest = await api.get('/api/users/me', { token: session.body.accessToken });
        assert.equal(rest.status, 403, 'the old access token is refused too');
        await assert.rejects(liveSocket(session.body.accessToken), 'a new socket is refused');

        const entry = (await auditActions()).find((e) => e.action === `user.${action}` && e.targetId === user.id);
        assert.ok(entry);
        assert.equal(entry.details['reason'], 'spam');
        assert.equal(entry.details['to'], action === 'ban' ? 'banned' : 'disabled');

        const enabled = await api.post(`/api/admin/users/${user.id}/enable`, { token: adminToken });
        assert.equal(enabled.status, 200);
        assert.equal(enabled.body.status, 'active');
        assert.equal((await logIn(`to-${action}`)).status, 200);
        socket.close();
      });
    }

    test('administrators cannot ban, disable or delete themselves', async () => {
      for (const action of ['ban', 'disable']) {
        const res = await api.post(`/api/admin/users/${adminId}/${action}`, { token: adminToken });
        assert.equal(res.status, 403);
      }
      assert.equal((await api.delete(`/api/admin/users/${adminId}`, { token: adminToken })).status, 403);
      assert.equal((await logIn(ADMIN.username, ADMIN.password)).status, 200);
    });

    test('an unknown user is 404', async () => {
      const res = await api.post('/api/admin/users/01ARZ3NDEKTSV4RRFFQ69G5FAV/ban', { token: API_KEY });
      assert.equal(res.status, 404);
    });
  });

  describe('deleting users', () => {
    async function chatWithMessages(authorName: string, readerName: string) {
      const author = await create(authorName);
      const reader = await create(readerName);
      const authorToken = await tokenOf(authorName);
      const readerToken = await tokenOf(readerName);
      const opened = await api.post('/api/chats/direct', { token: authorToken, body: { userId: reader.id } });
      assert.equal(opened.status, 200, JSON.stringify(opened.body));
      const chatId = opened.body.chat.id as string;
      for (const body of ['first', 'second']) {
        const sent = await api.post(`/api/chats/${chatId}/messages`, { token: authorToken, body: { clientId: randomUUID(), body } });
        assert.equal(sent.status, 201, JSON.stringify(sent.body));
      }
      const reply = await api.post(`/api/chats/${chatId}/messages`, { token: readerToken, body: { clientId: randomUUID(), body: 'reply' } });
      assert.equal(reply.status, 201);
      return { author, reader, chatId, readerToken };
    }

    test('messages=keep: the messages stay, from a deleted user (senderId null)', async () => {
      const { author, reader, chatId, readerToken } = await chatWithMessages('leaving-keep', 'staying-keep');
      const res = await api.delete(`/api/admin/users/${author.id}?messages=keep`, { token: adminToken });
      assert.equal(res.status, 204);
      assert.equal(await t.server.storage.users.byId(author.id), null);

      const history = await api.get(`/api/chats/${chatId}/messages`, { token: readerToken });
      assert.equal(history.status, 200);
      const texts = history.body.messages.filter((m: { kind: string }) => m.kind === 'text');
      assert.deepEqual(
        texts.map((m: { body: string; senderId: string | null }) => [m.body, m.senderId]),
        [['first', null], ['second', null], ['reply', reader.id]],
      );
      const entry = (await auditActions()).find((e) => e.action === 'user.delete' && e.targetId === author.id);
      assert.ok(entry);
      assert.equal(entry.details['messages'], 'keep');
      assert.equal(entry.details['username'], 'leaving-keep');
      assert.equal((await logIn('leaving-keep')).status, 401);
    });

    test('messages=erase: the messages are gone; keep is the default', async () => {
      const { author, reader, chatId, readerToken } = await chatWithMessages('leaving-erase', 'staying-erase');
      assert.equal((await api.delete(`/api/admin/users/${author.id}?messages=shred`, { token: adminToken })).status, 400);
      const res = await api.delete(`/api/admin/users/${author.id}?messages=erase`, { token: adminToken });
      assert.equal(res.status, 204);
      const history = await api.get(`/api/chats/${chatId}/messages`, { token: readerToken });
      const texts = history.body.messages.filter((m: { kind: string }) => m.kind === 'text');
      assert.deepEqual(texts.map((m: { body: string; senderId: string }) => [m.body, m.senderId]), [['reply', reader.id]]);

      const other = await chatWithMessages('leaving-default', 'staying-default');
      assert.equal((await api.delete(`/api/admin/users/${other.author.id}`, { token: API_KEY })).status, 204);
      const kept = await api.get(`/api/chats/${other.chatId}/messages`, { token: other.readerToken });
      assert.equal(kept.body.messages.filter((m: { senderId: string | null; kind: string }) => m.kind === 'text' && m.senderId === null).length, 2);
      assert.equal((await api.delete(`/api/admin/users/${other.author.id}`, { token: API_KEY })).status, 404);
    });
  });

  describe('listing and the audit trail', () => {
    test('list and search users, page by page', async () => {
      for (const name of ['page-a', 'page-b', 'page-c']) await create(name);
      await api.post(`/api/admin/users/${(await t.server.storage.users.byUsername('page-b'))!.id}/ban`, { token: API_KEY });
      const first = await api.get('/api/admin/users?query=page-&limit=2', { token: API_KEY });
      assert.equal(first.status, 200);
      assert.deepEqual(first.body.users.map((u: { username: string }) => u.username), ['page-a', 'page-b']);
      assert.equal(first.body.users[1].status, 'banned', 'admins see banned accounts with their status');
      assert.ok(first.body.nextCursor);
      const second = await api.get(`/api/admin/users?query=page-&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: API_KEY });
      assert.deepEqual(second.body.users.map((u: { username: string }) => u.username), ['page-c']);
      assert.equal(second.body.nextCursor, null);
      assert.equal((await api.get('/api/admin/users?limit=0', { token: API_KEY })).status, 400);
      assert.equal((await api.get('/api/admin/users?sort=name', { token: API_KEY })).status, 400);
    });

    test('the audit trail pages newest first and names who acted', async () => {
      const user = await create('audited');
      await api.patch(`/api/admin/users/${user.id}`, { token: adminToken, body: { lastName: 'Changed' } });
      await api.post(`/api/admin/users/${user.id}/disable`, { token: adminToken });

      const newest = await api.get('/api/admin/audit?limit=2', { token: adminToken });
      assert.equal(newest.status, 200);
      assert.deepEqual(newest.body.entries.map((e: { action: string }) => e.action), ['user.disable', 'user.update']);
      for (const entry of newest.body.entries) {
        assert.equal(entry.actorId, adminId);
        assert.equal(entry.details.via, 'user');
        assert.equal(entry.targetId, user.id);
      }
      assert.ok(newest.body.nextBefore);
      const older = await api.get(`/api/admin/audit?limit=1&before=${newest.body.nextBefore}`, { token: adminToken });
      assert.equal(older.body.entries[0].action, 'user.create');
      assert.equal(older.body.entries[0].actorId, null, 'created with the API key');
      assert.equal(older.body.entries[0].details.via, 'api-key');
      assert.equal(JSON.stringify(older.body).includes(TEST_PASSWORD), false);
      assert.equal((await api.get('/api/admin/audit?before=nope', { token: adminToken })).status, 400);
    });
  });
});
