/**
 * The signed-in user's own profile and password, against the real server over both transports:
 * every test body runs once with socket requests (`profile:update`, `profile:password`) and once
 * with REST (`PATCH /api/users/me`, `POST /api/users/me/password`, answers checked against the
 * OpenAPI document). Users register and sign in over REST, so their tokens name real sessions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { SelfUser } from '../../shared/src/schemas/users.js';
import type { TestServer } from './start-test-server.js';
import type { CheckedClient } from './support/openapi-validator.js';
import { startUnthrottledServer } from './support/unthrottled-server.js';
import { registration, TEST_PASSWORD } from './support/rest-users.js';
import {
  assertHeardNothing,
  closeAll,
  connectAs,
  disconnected,
  nextEvent,
  QUIET_MS,
  rawCall,
  recordEvents,
  type ClientSocket,
} from './support/socket-client.js';

type Transport = 'socket' | 'rest';
type Outcome = { ok: true; data: unknown } | { ok: false; code: string; fields?: Record<string, string> };

/** One sign-in: its tokens and a socket opened with its access token. */
interface Session {
  accessToken: string;
  refreshToken: string;
  socket: ClientSocket;
}

const NEW_PASSWORD = 'Brand-New-Secret-42';

for (const transport of ['socket', 'rest'] as const satisfies readonly Transport[]) {
  describe(`own profile and password over ${transport === 'socket' ? 'sockets' : 'REST'}`, () => {
    let t: TestServer;
    let api: CheckedClient;
    const sockets: ClientSocket[] = [];
    let counter = 0;

    before(async () => {
      ({ t, api } = await startUnthrottledServer());
    });
    after(async () => {
      closeAll(...sockets);
      await t.close();
    });

    async function registered(prefix: string): Promise<string> {
      const username = `${prefix}_${transport}_${++counter}`;
      const res = await request(t.url).post('/api/auth/register').send(registration(username, { firstName: 'Al', lastName: 'Two' }));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return username;
    }

    async function signIn(username: string, password = TEST_PASSWORD): Promise<Session> {
      const res = await request(t.url).post('/api/auth/login').send({ username, password });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as { accessToken: string; refreshToken: string; user: SelfUser };
      const socket = await connectAs(t, { user: body.user, token: body.accessToken });
      sockets.push(socket);
      return { accessToken: body.accessToken, refreshToken: body.refreshToken, socket };
    }

    async function updateProfile(session: Session, body: unknown): Promise<Outcome> {
      if (transport === 'socket') return fromAck(await rawCall(session.socket, 'profile:update', body));
      return fromResponse(await api.patch('/api/users/me', { token: session.accessToken, body }));
    }

    async function changePassword(session: Session, body: unknown): Promise<Outcome> {
      if (transport === 'socket') return fromAck(await rawCall(session.socket, 'profile:password', body));
      return fromResponse(await api.post('/api/users/me/password', { token: session.accessToken, body }));
    }

    async function storedProfile(session: Session): Promise<SelfUser> {
      const res = await api.get('/api/users/me', { token: session.accessToken });
      assert.equal(res.status, 200);
      return res.body as SelfUser;
    }

    async function refreshWith(refreshToken: string): Promise<number> {
      return (await request(t.url).post('/api/auth/refresh').send({ refreshToken })).status;
    }

    async function loginStatus(username: string, password: string): Promise<number> {
      return (await request(t.url).post('/api/auth/login').send({ username, password })).status;
    }

    test('a rename answers with the new profile and reaches other users live as user:updated', async () => {
      const al = await signIn(await registered('al'));
      const bo = await signIn(await registered('bo'));
      const heard = nextEvent(bo.socket, 'user:updated', (user) => user.firstName === 'Alice');

      const outcome = await updateProfile(al, { firstName: '  Alice ', lastName: 'Three', email: 'alice@example.test', gender: 'female' });

      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const self = (outcome as { data: SelfUser }).data;
      assert.deepEqual([self.firstName, self.lastName, self.email, self.gender], ['Alice', 'Three', 'alice@example.test', 'female']);
      const update = await heard;
      assert.deepEqual([update.id, update.firstName, update.lastName], [self.id, 'Alice', 'Three']);
      assert.equal('email' in update, false, 'the e-mail stays private');
      const stored = await storedProfile(al);
      assert.deepEqual([stored.firstName, stored.lastName, stored.email], ['Alice', 'Three', 'alice@example.test']);
    });

    test('an e-mail change alone is stored and not announced to anyone', async () => {
      const al = await signIn(await registered('mail'));
      const bo = await signIn(await registered('listener'));
      const events = recordEvents(bo.socket);

      const outcome = await updateProfile(al, { email: 'new-address@example.test' });

      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.equal((await storedProfile(al)).email, 'new-address@example.test');
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      assertHeardNothing(events.filter((e) => e.event === 'user:updated'));
    });

    test('bad profile input is refused with its fields and stores nothing', async () => {
      const al = await signIn(await registered('bad'));
      const before = await storedProfile(al);
      const cases: Array<{ body: unknown; field: string }> = [
        { body: { firstName: '' }, field: 'firstName' },
        { body: { lastName: 'x'.repeat(65) }, field: 'lastName' },
        { body: { email: 'not-an-address' }, field: 'email' },
        { body: { gender: 'robot' }, field: 'gender' },
        { body: { username: 'renamed' }, field: 'username' },
        { body: { firstName: 'Ok', role: 'admin' }, field: 'role' },
        { body: { firstName: 'Ok', __proto__: { polluted: true }, constructor: 'x' }, field: 'constructor' },
      ];
      for (const { body, field } of cases) {
        const outcome = await updateProfile(al, body);
        assert.equal(outcome.ok, false, `${JSON.stringify(body)} should fail`);
        if (outcome.ok) continue;
        assert.equal(outcome.code, 'validation_failed');
        assert.ok(outcome.fields?.[field], `fields.${field} in ${JSON.stringify(outcome.fields)}`);
      }
      const empty = await updateProfile(al, {});
      assert.equal(empty.ok ? 'ok' : empty.code, 'validation_failed');
      assert.deepEqual(await storedProfile(al), before);
    });

    test('a wrong current password is refused (wrong_password, fields.currentPassword) and nothing changes', async () => {
      const username = await registered('wrong');
      const here = await signIn(username);
      const elsewhere = await signIn(username);

      const outcome = await changePassword(here, { currentPassword: 'Not-The-Password-1', newPassword: NEW_PASSWORD });

      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.equal(outcome.code, 'wrong_password');
      assert.ok(outcome.fields?.['currentPassword']);
      assert.equal(elsewhere.socket.connected, true);
      assert.equal(await refreshWith(elsewhere.refreshToken), 200, 'the other session lives on');
      assert.equal(await loginStatus(username, NEW_PASSWORD), 401);
      assert.equal(await loginStatus(username, TEST_PASSWORD), 200);
    });

    test('a new password that breaks the policy or bcrypt’s 72 bytes is refused with fields.newPassword', async () => {
      const username = await registered('policy');
      const here = await signIn(username);
      const bad = [
        'short-1A',
        `${username}-Extra-9`,
        'é'.repeat(37),
        `Tail-Secret-9${'\u0000'}xyz`,
        TEST_PASSWORD,
        'x'.repeat(1025),
      ];
      for (const newPassword of bad) {
        const outcome = await changePassword(here, { currentPassword: TEST_PASSWORD, newPassword });
        assert.equal(outcome.ok, false, `${newPassword.slice(0, 20)} should be refused`);
        if (outcome.ok) continue;
        assert.equal(outcome.code, 'validation_failed');
        assert.ok(outcome.fields?.['newPassword'], JSON.stringify(outcome.fields));
      }
      const shapes: Array<{ body: unknown; field: string }> = [
        { body: { newPassword: NEW_PASSWORD }, field: 'currentPassword' },
        { body: { currentPassword: 'é'.repeat(37), newPassword: NEW_PASSWORD }, field: 'currentPassword' },
        { body: { currentPassword: TEST_PASSWORD }, field: 'newPassword' },
        { body: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, password: 'x' }, field: 'password' },
      ];
      for (const { body, field } of shapes) {
        const outcome = await changePassword(here, body);
        assert.equal(outcome.ok ? 'ok' : outcome.code, 'validation_failed');
        if (!outcome.ok) assert.ok(outcome.fields?.[field], `fields.${field} in ${JSON.stringify(outcome.fields)}`);
      }
      assert.equal(await loginStatus(username, TEST_PASSWORD), 200, 'the old password still works');
    });

    test('a password change keeps this session, ends the others (refresh tokens and sockets) and swaps the password', async () => {
      const username = await registered('change');
      const here = await signIn(username);
      const elsewhere = await signIn(username);
      const thirdPlace = await signIn(username);
      const hereEvents = recordEvents(here.socket);
      const ended = nextEvent(elsewhere.socket, 'session:ended');
      const closed = disconnected(thirdPlace.socket);

      const outcome = await changePassword(here, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });

      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      if (outcome.ok) assert.equal(outcome.data, null);
      assert.deepEqual(await ended, { reason: 'password_changed' });
      await closed;
      await disconnected(elsewhere.socket);
      assert.equal(await refreshWith(elsewhere.refreshToken), 401, 'the other session cannot refresh');
      assert.equal(await refreshWith(thirdPlace.refreshToken), 401);
      assert.equal(await refreshWith(here.refreshToken), 200, 'this session stays signed in');
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      assert.equal(here.socket.connected, true);
      assertHeardNothing(hereEvents.filter((e) => e.event === 'session:ended'));
      assert.equal(await loginStatus(username, TEST_PASSWORD), 401, 'the old password is gone');
      assert.equal(await loginStatus(username, NEW_PASSWORD), 200);
    });

    if (transport === 'socket') {
      test('a payload that is not an object gets an error ack', async () => {
        const al = await signIn(await registered('shape'));
        for (const event of ['profile:update', 'profile:password']) {
          for (const payload of ['text', 42, null, ['a']]) {
            const outcome = fromAck(await rawCall(al.socket, event, payload));
            assert.equal(outcome.ok ? 'ok' : outcome.code, 'validation_failed', `${event} ${JSON.stringify(payload)}`);
          }
        }
      });
    } else {
      test('without a token both routes answer 401, and a non-JSON-object body 400', async () => {
        assert.equal((await api.patch('/api/users/me', { body: { firstName: 'X' } })).status, 401);
        assert.equal((await api.post('/api/users/me/password', { body: { currentPassword: 'a', newPassword: 'b' } })).status, 401);
        const al = await signIn(await registered('raw'));
        const res = await request(t.url)
          .patch('/api/users/me')
          .set('Authorization', `Bearer ${al.accessToken}`)
          .set('Content-Type', 'application/json')
          .send('["firstName"]');
        assert.equal(res.status, 400);
      });
    }
  });
}

function fromAck(ack: unknown): Outcome {
  const typed = ack as { ok: true; data: unknown } | { ok: false; error: { code: string; fields?: Record<string, string> } };
  if (typed.ok) return { ok: true, data: typed.data };
  return { ok: false, code: typed.error.code, ...(typed.error.fields && { fields: typed.error.fields }) };
}

function fromResponse(res: { status: number; body: unknown }): Outcome {
  if (res.status >= 200 && res.status < 300) return { ok: true, data: res.status === 204 ? null : res.body };
  const error = (res.body as { error: { code: string; fields?: Record<string, string> } }).error;
  return { ok: false, code: error.code, ...(error.fields && { fields: error.fields }) };
}
