/**
 * bcrypt work against the real server: one client's flood of registrations (one address) and
 * of password-protected group creations (one user) neither grows the queue without bound nor
 * holds up another client's login; and every bcrypt path is rate-limited by its requester.
 * Addresses come from X-Forwarded-For, which the server trusts from loopback (TRUST_PROXY).
 * Nothing here measures time: the assertions are about who was served before whom.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { assertApiError } from './support/api-error-assertions.js';
import { registration, restAs, TEST_PASSWORD, type SignedInUser } from './support/rest-users.js';
import { authenticatedSocket, call, closeAll, type ClientSocket } from './support/socket-client.js';
import { createUsers, type TestUser } from './support/stored-users.js';
import { startTestServer, type TestServer } from './start-test-server.js';

const FLOOD = 200;
const QUEUE_PER_REQUESTER = 4;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

/** Fires `count` requests at once; each answer is recorded in arrival order into `answers`. */
function flood(count: number, send: (index: number) => request.Test, answers: Array<Answer & { what: string }>, what: string): Promise<void[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      send(index).then((res) => {
        answers.push({ what, status: res.status, retryAfter: res.headers['retry-after'] as string | undefined, code: (res.body as { error?: { code?: string } }).error?.code });
      }),
    ),
  );
}

describe('bcrypt work is queued fairly', { timeout: 120_000 }, () => {
  let t: TestServer;
  let flooder: TestUser;
  const sockets: ClientSocket[] = [];

  before(async () => {
    t = await startTestServer({
      // Slow enough (milliseconds per hash) that the flood really queues.
      BCRYPT_COST: 8,
      TRUST_PROXY: 'loopback',
      BCRYPT_PER_USER_PER_MINUTE: 100_000,
      WRITES_PER_SECOND: 100_000,
      WRITES_BURST: 100_000,
      SOCKET_EVENTS_PER_SECOND: 100_000,
      SOCKET_EVENTS_BURST: 100_000,
      // Room for the whole flood, so that it all waits in the queue.
      BCRYPT_QUEUE_PER_REQUESTER: FLOOD,
      BCRYPT_QUEUE_MAX: FLOOD + 10,
    });
    [flooder] = await createUsers(t, 'flooder');
    await request(t.url).post('/api/auth/register').set('X-Forwarded-For', '10.0.0.2').send(registration('calm')).expect(201);
  });

  after(async () => {
    closeAll(...sockets);
    await t.close();
  });

  test('a login is served ahead of one user’s queued flood of group passwords, and the flood is still served', async () => {
    // The last of the flood's acks comes after all its hashes: seconds on a loaded machine.
    const socket = await authenticatedSocket(t, flooder.token, { waitMs: 60_000 });
    sockets.push(socket);
    const served: string[] = [];
    const creations = Array.from({ length: FLOOD }, (_, index) =>
      call(socket, 'group:create', { name: `locked ${index}`, memberIds: [], visibility: 'public', password: 'room-secret' }).then((ack) => {
        served.push(ack.ok ? 'created' : ack.error.code);
      }),
    );
    // A socket's events are handled in order: once this answers, every creation has been taken in.
    assert.equal((await call(socket, 'users:list', {})).ok, true);
    const servedWhenLoginSent = served.length;
    assert.ok(servedWhenLoginSent < FLOOD / 2, `the flood was mostly over (${servedWhenLoginSent}) before the login`);
    const login = await request(t.url).post('/api/auth/login').set('X-Forwarded-For', '10.0.0.2').send({ username: 'calm', password: TEST_PASSWORD });
    const servedWhileLoginWaited = served.length - servedWhenLoginSent;
    await Promise.all(creations);

    assert.equal(login.status, 200, JSON.stringify(login.body));
    // It waited for the hashes already running and took the next free slot: a few of the
    // flood's hashes finished meanwhile, not the rest of its queue.
    assert.ok(servedWhileLoginWaited <= 6, `${servedWhileLoginWaited} creations were served while the login waited`);
    // No starvation: every creation of the flood was served in the end.
    assert.deepEqual(new Set(served), new Set(['created']));
    assert.equal(served.length, FLOOD);
  });
});

describe('the bcrypt queue is bounded', { timeout: 120_000 }, () => {
  let t: TestServer;
  let flooder: TestUser;
  const sockets: ClientSocket[] = [];

  before(async () => {
    t = await startTestServer({
      BCRYPT_COST: 8,
      TRUST_PROXY: 'loopback',
      BCRYPT_PER_USER_PER_MINUTE: 100_000,
      WRITES_PER_SECOND: 100_000,
      WRITES_BURST: 100_000,
      SOCKET_EVENTS_PER_SECOND: 100_000,
      SOCKET_EVENTS_BURST: 100_000,
      BCRYPT_QUEUE_PER_REQUESTER: QUEUE_PER_REQUESTER,
      BCRYPT_QUEUE_MAX: 100,
    });
    [flooder] = await createUsers(t, 'flooder');
  });

  after(async () => {
    closeAll(...sockets);
    await t.close();
  });

  test('a flood from one address or one user is refused past its share with 503 busy and Retry-After, and others still get in', async () => {
    const answers: Array<Answer & { what: string }> = [];
    const registrations = flood(FLOOD, (index) => request(t.url).post('/api/auth/register').set('X-Forwarded-For', '10.0.0.1').send(registration(`flood${index}`)), answers, 'register');
    const socket = await authenticatedSocket(t, flooder.token, { waitMs: 60_000 });
    sockets.push(socket);
    const acks = await Promise.all(
      Array.from({ length: FLOOD }, (_, index) => call(socket, 'group:create', { name: `locked ${index}`, memberIds: [], visibility: 'public', password: 'room-secret' })),
    );
    const other = await request(t.url).post('/api/auth/register').set('X-Forwarded-For', '10.0.0.2').send(registration('calm'));
    await registrations;

    assert.equal(other.status, 201, JSON.stringify(other.body));
    for (const answer of answers) {
      assert.ok(answer.status === 201 || answer.status === 503, `unexpected ${answer.status} ${answer.code}`);
      if (answer.status === 503) {
        assert.equal(answer.code, 'busy');
        assert.ok(Number(answer.retryAfter) >= 1, `Retry-After ${answer.retryAfter}`);
      }
    }
    assert.ok(answers.some((answer) => answer.status === 201), 'no registration was served');
    assert.ok(answers.some((answer) => answer.status === 503), 'no registration was refused');
    const codes = acks.map((ack) => (ack.ok ? 'created' : ack.error.code));
    assert.ok(codes.includes('created') && codes.includes('busy'), `group:create answers: ${[...new Set(codes)].join(', ')}`);
    assert.deepEqual(new Set(codes), new Set(['created', 'busy']));
  });
});

describe('every bcrypt path is rate-limited by its requester', () => {
  let t: TestServer;
  const sockets: ClientSocket[] = [];

  before(async () => {
    t = await startTestServer({ TRUST_PROXY: 'loopback', BCRYPT_PER_IP_PER_MINUTE: 3, BCRYPT_PER_USER_PER_MINUTE: 2 });
  });

  after(async () => {
    closeAll(...sockets);
    await t.close();
  });

  test('registrations and logins count against their address; others are unaffected', async () => {
    const from = (ip: string) => ({ register: (username: string) => request(t.url).post('/api/auth/register').set('X-Forwarded-For', ip).send(registration(username)) });
    const one = from('192.0.2.1');
    assert.equal((await one.register('addr1a')).status, 201);
    assert.equal((await one.register('addr1b')).status, 201);
    const login = await request(t.url).post('/api/auth/login').set('X-Forwarded-For', '192.0.2.1').send({ username: 'addr1a', password: TEST_PASSWORD });
    assert.equal(login.status, 200);
    const refused = await one.register('addr1c');
    assertApiError(refused, 429, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    // Logins from the spent address are refused before bcrypt; such refusals are not failed
    // attempts, so they do not use up the account's sign-in throttle (5 per username).
    for (let index = 0; index < 6; index += 1) {
      const refusedLogin = await request(t.url).post('/api/auth/login').set('X-Forwarded-For', '192.0.2.1').send({ username: 'addr1a', password: TEST_PASSWORD });
      assertApiError(refusedLogin, 429, 'rate_limited');
    }
    // Another address registers and signs in as usual, into the same account.
    assert.equal((await from('192.0.2.2').register('addr2a')).status, 201);
    const otherLogin = await request(t.url).post('/api/auth/login').set('X-Forwarded-For', '192.0.2.2').send({ username: 'addr1a', password: TEST_PASSWORD });
    assert.equal(otherLogin.status, 200, JSON.stringify(otherLogin.body));
  });

  test('group passwords count against the user, over REST and sockets alike', async () => {
    const [annUser, benUser] = await createUsers(t, 'grpann', 'grpben');
    const ann: SignedInUser = { id: annUser.user.id, username: 'grpann', accessToken: annUser.token };
    const ben: SignedInUser = { id: benUser.user.id, username: 'grpben', accessToken: benUser.token };
    const api = restAs(t.url, ann);
    const locked = (name: string) => ({ name, memberIds: [], visibility: 'public' as const, password: 'room-secret' });
    assert.equal((await api.post('/api/groups').send(locked('one'))).status, 201);
    const socket = await authenticatedSocket(t, annUser.token);
    sockets.push(socket);
    const overSocket = await call(socket, 'group:create', locked('two'));
    assert.equal(overSocket.ok, true, JSON.stringify(overSocket));
    const refused = await api.post('/api/groups').send(locked('three'));
    assertApiError(refused, 429, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    const refusedOverSocket = await call(socket, 'group:create', locked('four'));
    assert.equal(!refusedOverSocket.ok && refusedOverSocket.error.code, 'rate_limited');
    // No bcrypt, no limit: a group without a password is still made ...
    const open = await api.post('/api/groups').send({ name: 'open', memberIds: [], visibility: 'public' });
    assert.equal(open.status, 201);
    // ... but giving it a password is bcrypt work, refused now.
    const update = await api.patch(`/api/groups/${open.body.chat.id as string}`).send({ password: 'new-secret' });
    assertApiError(update, 429, 'rate_limited');
    // Joining with a password is bcrypt work of the joiner: refused for ann, while ben's limit is his own.
    const bens = await restAs(t.url, ben).post('/api/groups').send(locked('bens'));
    assert.equal(bens.status, 201);
    const join = await api.post(`/api/groups/${bens.body.chat.id as string}/join`).send({ password: 'room-secret' });
    assertApiError(join, 429, 'rate_limited');
  });
});
