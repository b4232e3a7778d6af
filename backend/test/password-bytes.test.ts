/**
 * One rule for every password bcrypt sees: at most 72 UTF-8 bytes and no NUL, refused where it
 * is set and where it is checked, never cut. bcrypt itself reads only the first 72 bytes and
 * stops at a NUL, so without the rule a multi-byte password's tail would not count: a room
 * whose password is 36 × "é" + "Tail-Secret-9" would open to 36 × "é" + anything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestServer, type TestServer } from './start-test-server.js';
import { assertApiError } from './support/api-error-assertions.js';
import { registration, restAs, signUp, type SignedInUser } from './support/rest-users.js';
import { call, closeAll, connectAs, type ClientSocket } from './support/socket-client.js';
import { userCount } from './support/stored-users.js';

const API_KEY = 'k'.repeat(40);
/** 36 two-byte characters: exactly 72 bytes. */
const E36 = 'é'.repeat(36);
/** 24 three-byte characters, five different ones: exactly 72 bytes, and a valid account password. */
const KANA72 = 'パスワードを'.repeat(4);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('passwords are measured in bytes, everywhere', () => {
  let t: TestServer;
  let ada: SignedInUser;
  let ben: SignedInUser;
  let adaSocket: ClientSocket;
  let benSocket: ClientSocket;

  before(async () => {
    assert.equal(bytes(E36), 72);
    assert.equal(bytes(KANA72), 72);
    t = await startTestServer({ ADMIN_API_KEY: API_KEY, LOGIN_ATTEMPTS_PER_IP: 1000, LOGIN_ATTEMPTS_PER_USERNAME: 1000, ROOM_PASSWORD_ATTEMPTS: 1000 });
    ada = await signUp(t.url, 'ada');
    ben = await signUp(t.url, 'ben');
  });
  after(async () => {
    closeAll(adaSocket, benSocket);
    await t.close();
  });

  describe('account passwords', () => {
    test('registration takes exactly 72 bytes of kana and refuses 75, whatever the character count', async () => {
      const ok = await request(t.url).post('/api/auth/register').send(registration('kana_user', { password: KANA72 }));
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      const before = await userCount(t.server.storage);
      const tooLong = await request(t.url).post('/api/auth/register').send(registration('kana_long', { password: `${KANA72}ア` }));
      assert.match(assertApiError(tooLong, 400, 'validation_failed').fields?.['password'] ?? '', /72 bytes/);
      assert.equal(await userCount(t.server.storage), before);
    });

    test('a login with the 72 bytes followed by more is refused as invalid, never signed in', async () => {
      const exact = await request(t.url).post('/api/auth/login').send({ username: 'kana_user', password: KANA72 });
      assert.equal(exact.status, 200);
      for (const extra of ['ア', 'x', 'anything at all']) {
        const longer = await request(t.url).post('/api/auth/login').send({ username: 'kana_user', password: `${KANA72}${extra}` });
        assert.match(assertApiError(longer, 400, 'validation_failed').fields?.['password'] ?? '', /72 bytes/);
        assert.equal(longer.headers['set-cookie'], undefined);
      }
    });

    test('a NUL is refused on registration and on login (bcrypt would stop reading there)', async () => {
      const reg = await request(t.url).post('/api/auth/register').send(registration('nul_user', { password: 'Nul-Safe-Pass\u0000tail' }));
      assert.match(assertApiError(reg, 400, 'validation_failed').fields?.['password'] ?? '', /NUL/);
      const login = await request(t.url).post('/api/auth/login').send({ username: 'ada', password: 'Correct-Horse\u0000' });
      assertApiError(login, 400, 'validation_failed');
    });

    test('an administrator sets passwords under the same rule', async () => {
      const admin = request(t.url);
      const created = await admin.post('/api/admin/users').set('Authorization', `Bearer ${API_KEY}`).send(registration('greek_user', { password: `${'αβγδ'.repeat(9)}x` }));
      assert.match(assertApiError(created, 400, 'validation_failed').fields?.['password'] ?? '', /72 bytes/);
      const reset = await admin.post(`/api/admin/users/${ben.id}/password`).set('Authorization', `Bearer ${API_KEY}`).send({ password: `${KANA72}ア` });
      assertApiError(reset, 400, 'validation_failed');
      const resetOk = await admin.post(`/api/admin/users/${ben.id}/password`).set('Authorization', `Bearer ${API_KEY}`).send({ password: KANA72 });
      assert.ok(resetOk.status < 300, JSON.stringify(resetOk.body));
      assert.equal((await request(t.url).post('/api/auth/login').send({ username: 'ben', password: KANA72 })).status, 200);
    });
  });

  describe('room passwords', () => {
    const secret = `${E36}Tail-Secret-9`;
    before(async () => {
      // Fresh sign-ins: the administrator's password reset above ended Ben's sessions.
      const [adaNow, benNow] = [await signUp(t.url, 'ada_rooms'), await signUp(t.url, 'ben_rooms')];
      ada = adaNow;
      ben = benNow;
      adaSocket = await connectAs(t, { user: { id: ada.id }, token: ada.accessToken });
      benSocket = await connectAs(t, { user: { id: ben.id }, token: ben.accessToken });
    });

    test('a room password past 72 bytes is refused at creation, over REST and over the socket', async () => {
      assert.equal(secret.length <= 72, true, 'few enough characters to pass a character limit');
      const rest = await restAs(t.url, ada).post('/api/groups').send({ name: 'Long secret', memberIds: [], password: secret, visibility: 'public' });
      assert.match(assertApiError(rest, 400, 'validation_failed').fields?.['password'] ?? '', /72 bytes/);
      const socket = await call(adaSocket, 'group:create', { name: 'Long secret', memberIds: [], password: secret, visibility: 'public' });
      assert.equal(socket.ok, false);
      if (!socket.ok) {
        assert.equal(socket.error.code, 'validation_failed');
        assert.match(socket.error.fields?.['password'] ?? '', /72 bytes/);
      }
      const nul = await call(adaSocket, 'group:create', { name: 'Nul secret', memberIds: [], password: 'open\u0000sesame', visibility: 'public' });
      assert.equal(nul.ok, false);
      const listed = await call(benSocket, 'group:search', { query: 'secret' });
      assert.deepEqual(listed.ok && listed.data.rooms, [], 'nothing was stored');
    });

    test('a 72-byte room password opens only to itself: a longer guess is refused as invalid on both transports', async () => {
      const created = await call(adaSocket, 'group:create', { name: 'Accents', memberIds: [], password: E36, visibility: 'public' });
      assert.equal(created.ok, true, JSON.stringify(created));
      const chatId = created.ok ? created.data.chat.id : '';

      const overSocket = await call(benSocket, 'group:join', { chatId, password: `${E36}anything` });
      assert.equal(overSocket.ok, false);
      if (!overSocket.ok) assert.equal(overSocket.error.code, 'validation_failed');
      const overRest = await restAs(t.url, ben).post(`/api/groups/${chatId}/join`).send({ password: `${E36}anything` });
      assertApiError(overRest, 400, 'validation_failed');
      const shorter = await call(benSocket, 'group:join', { chatId, password: 'é'.repeat(35) });
      assert.equal(shorter.ok, false);
      if (!shorter.ok) assert.equal(shorter.error.code, 'wrong_password');
      assert.equal(await t.server.storage.members.get(chatId, ben.id), null, 'not a member');

      const right = await call(benSocket, 'group:join', { chatId, password: E36 });
      assert.equal(right.ok, true, JSON.stringify(right));
    });

    test('changing a room password follows the same rule', async () => {
      const created = await call(adaSocket, 'group:create', { name: 'Changes', memberIds: [], password: 'first-pass', visibility: 'public' });
      assert.equal(created.ok, true);
      const chatId = created.ok ? created.data.chat.id : '';
      const changed = await call(adaSocket, 'group:update', { chatId, password: secret });
      assert.equal(changed.ok, false);
      if (!changed.ok) assert.equal(changed.error.code, 'validation_failed');
      const rest = await restAs(t.url, ada).patch(`/api/groups/${chatId}`).send({ password: secret });
      assertApiError(rest, 400, 'validation_failed');
    });
  });
});
