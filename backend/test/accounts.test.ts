import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { AccessTokens } from '../src/accounts/access-tokens.js';
import { hashRefreshToken } from '../src/accounts/refresh-tokens.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { register, registration, TEST_PASSWORD } from './support/rest-users.js';
import { userCount } from './support/stored-users.js';

interface LoginResult {
  status: number;
  body: { accessToken: string; refreshToken: string; expiresIn: number; user: Record<string, unknown>; error?: { code: string } };
  cookies: string[];
  headers: Record<string, string>;
}

async function logIn(url: string, username: string, password = TEST_PASSWORD): Promise<LoginResult> {
  const res = await request(url).post('/api/auth/login').send({ username, password });
  return { status: res.status, body: res.body, cookies: setCookies(res), headers: res.headers as Record<string, string> };
}

function setCookies(res: request.Response): string[] {
  const header = res.headers['set-cookie'] as unknown;
  return Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
}

function refreshCookie(cookies: string[]): string | undefined {
  const cookie = cookies.find((c) => c.startsWith('refresh_token='));
  return cookie?.slice('refresh_token='.length).split(';')[0];
}

describe('accounts over REST', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ LOGIN_ATTEMPTS_PER_IP: 1000, LOGIN_ATTEMPTS_PER_USERNAME: 1000 });
  });
  after(() => t.close());

  describe('register', () => {
    test('creates the user: 201 with the self view, never the hash', async () => {
      const res = await request(t.url).post('/api/auth/register').send(registration('grace_h', { firstName: '  Grace ' }));
      assert.equal(res.status, 201);
      assert.match(res.body.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.equal(res.body.username, 'grace_h');
      assert.equal(res.body.email, 'grace_h@example.test');
      assert.equal(res.body.firstName, 'Grace');
      assert.equal(res.body.role, 'user');
      assert.equal(res.body.avatarUrl, null);
      assert.equal('passwordHash' in res.body, false);
      assert.equal('password' in res.body, false);
      assert.equal(JSON.stringify(res.body).includes('$2b$'), false);

      const stored = await t.server.storage.users.byUsername('grace_h');
      assert.ok(stored);
      assert.equal(stored.status, 'active');
      assert.match(stored.passwordHash ?? '', /^\$2b\$04\$/);
      assert.notEqual(stored.passwordHash, TEST_PASSWORD);
    });

    test('a taken username in any letter case is 409 with fields.username, and nothing is stored', async () => {
      await register(t.url, 'Dup_Name');
      const before = await userCount(t.server.storage);
      for (const variant of ['Dup_Name', 'dup_name', 'DUP_NAME']) {
        const res = await request(t.url).post('/api/auth/register').send(registration(variant, { email: 'other@example.test' }));
        assert.equal(res.status, 409, variant);
        assert.equal(res.body.error.code, 'conflict');
        assert.equal(res.body.error.fields.username, 'is already taken');
      }
      assert.equal(await userCount(t.server.storage), before);
    });

    const invalid: Array<[string, Record<string, unknown>, string]> = [
      ['username too short', { username: 'ab' }, 'username'],
      ['username with spaces', { username: 'a b c' }, 'username'],
      ['username of 5 kB', { username: 'u'.repeat(5 * 1024) }, 'username'],
      ['username missing', { username: undefined }, 'username'],
      ['username a number', { username: 12345 }, 'username'],
      ['password too short', { password: 'Sh0rt!' }, 'password'],
      ['password too common', { password: 'password123' }, 'password'],
      ['password containing the username', { password: 'my-valid_user-99' }, 'password'],
      ['password with too few different characters', { password: 'abababababab' }, 'password'],
      ['password over 72 bytes', { password: 'Zx9!'.repeat(19) }, 'password'],
      ['password not a string', { password: ['Correct-Horse-7-Battery'] }, 'password'],
      ['email invalid', { email: 'not-an-email' }, 'email'],
      ['email missing', { email: undefined }, 'email'],
      ['firstName blank', { firstName: '   ' }, 'firstName'],
      ['firstName too long', { firstName: 'x'.repeat(65) }, 'firstName'],
      ['lastName missing', { lastName: undefined }, 'lastName'],
      ['lastName null', { lastName: null }, 'lastName'],
      ['gender unknown', { gender: 'robot' }, 'gender'],
      ['role given by the client', { role: 'admin' }, 'role'],
    ];
    for (const [name, overrides, field] of invalid) {
      test(`400 with fields.${field}: ${name}`, async () => {
        const before = await userCount(t.server.storage);
        const res = await request(t.url).post('/api/auth/register').send(registration('valid_user', overrides));
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'validation_failed');
        assert.equal(typeof res.body.error.fields[field], 'string', JSON.stringify(res.body));
        assert.equal(await userCount(t.server.storage), before);
        assert.equal(await t.server.storage.users.byUsername('valid_user'), null);
      });
    }

    test('a weak password is refused with a readable reason', async () => {
      const res = await request(t.url).post('/api/auth/register').send(registration('weak_pw', { password: 'qwertyuiop' }));
      assert.equal(res.status, 400);
      assert.equal(res.body.error.fields.password, 'is too common');
      assert.match(res.body.error.message, /password is too common/);
    });
  });

  describe('login', () => {
    let userId: string;
    before(async () => {
      userId = (await register(t.url, 'login_user')).id;
    });

    test('JSON credentials: 200 AuthTokens and an httpOnly, SameSite=Strict refresh cookie', async () => {
      const res = await logIn(t.url, 'LOGIN_USER');
      assert.equal(res.status, 200);
      assert.equal(typeof res.body.accessToken, 'string');
      assert.equal(res.body.expiresIn, t.config.ACCESS_TOKEN_TTL_S);
      assert.match(res.body.refreshToken, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(res.body.user['id'], userId);
      assert.equal(res.body.user['username'], 'login_user');
      assert.equal(res.body.user['email'], 'login_user@example.test');
      assert.equal('passwordHash' in res.body.user, false);
      assert.equal(res.headers['cache-control'], 'no-store');

      const cookie = res.cookies.find((c) => c.startsWith('refresh_token='));
      assert.ok(cookie, 'refresh cookie set');
      assert.equal(refreshCookie(res.cookies), res.body.refreshToken);
      assert.match(cookie, /; HttpOnly/i);
      assert.match(cookie, /; SameSite=Strict/i);
      assert.match(cookie, /; Path=\/api\/auth(;|$)/);
      assert.match(cookie, /; Max-Age=86400/);
      assert.doesNotMatch(cookie, /; Secure/i, 'plain http without SECURE_COOKIES');
      // The session hint: readable by the page, on every path, for as long, and no secret in it.
      const hint = res.cookies.find((c) => c.startsWith('parley_session='));
      assert.ok(hint, 'session hint set');
      assert.match(hint, /^parley_session=1;/);
      assert.doesNotMatch(hint, /; HttpOnly/i);
      assert.match(hint, /; Path=\/(;|$)/);
      assert.match(hint, /; Max-Age=86400/);
      assert.match(hint, /; SameSite=Strict/i);

      const stored = await t.server.storage.refreshTokens.byHash(hashRefreshToken(res.body.refreshToken));
      assert.ok(stored, 'the refresh token is stored by its hash');
      assert.equal(stored.userId, userId);
      assert.equal(stored.tokenHash.includes(res.body.refreshToken), false);
      const ttlMs = Date.parse(stored.expiresAt) - Date.now();
      assert.ok(ttlMs > 86_000_000 && ttlMs <= 86_400_000, `expires in 24 h, got ${ttlMs} ms`);

      const me = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${res.body.accessToken}`);
      assert.equal(me.status, 200);
      assert.equal(me.body.id, userId);
    });

    test('HTTP Basic credentials log in too', async () => {
      const basic = Buffer.from(`login_user:${TEST_PASSWORD}`).toString('base64');
      const res = await request(t.url).post('/api/auth/login').set('Authorization', `Basic ${basic}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.user.id, userId);
      assert.ok(refreshCookie(setCookies(res)));
    });

    test('HTTP Basic with a wrong password is 401, malformed Basic is 400', async () => {
      const wrong = Buffer.from('login_user:Wrong-Password-42').toString('base64');
      const res = await request(t.url).post('/api/auth/login').set('Authorization', `Basic ${wrong}`);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthenticated');

      const malformed = await request(t.url).post('/api/auth/login').set('Authorization', 'Basic bm8tY29sb24taGVyZQ==');
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, 'validation_failed');
    });

    test('a wrong password and an unknown user get the same 401', async () => {
      const wrong = await logIn(t.url, 'login_user', 'Wrong-Password-42');
      const unknown = await logIn(t.url, 'nobody_here', 'Wrong-Password-42');
      for (const res of [wrong, unknown]) {
        assert.equal(res.status, 401);
        assert.equal(res.body.error?.code, 'unauthenticated');
        assert.equal(res.cookies.length, 0);
        assert.equal('accessToken' in res.body, false);
      }
      assert.deepEqual(wrong.body, unknown.body);
    });

    test('missing credentials are 400', async () => {
      const res = await request(t.url).post('/api/auth/login').send({ username: 'login_user' });
      assert.equal(res.status, 400);
      assert.equal(typeof res.body.error.fields.password, 'string');
    });

    for (const status of ['disabled', 'banned', 'deleted'] as const) {
      test(`a ${status} user is refused with 403, even with the right password`, async () => {
        const user = await register(t.url, `${status}_user`);
        await t.server.storage.users.update(user.id, { status });
        const res = await logIn(t.url, `${status}_user`);
        assert.equal(res.status, 403);
        assert.equal(res.body.error?.code, 'forbidden');
        assert.equal(res.cookies.length, 0);
      });
    }
  });

  describe('refresh and logout', () => {
    before(async () => {
      await register(t.url, 'session_user');
    });

    test('refresh rotates: each token works once, from the body or from the cookie', async () => {
      const login = await logIn(t.url, 'session_user');
      const first = login.body.refreshToken;

      const byBody = await request(t.url).post('/api/auth/refresh').send({ refreshToken: first });
      assert.equal(byBody.status, 200);
      const second = byBody.body.refreshToken as string;
      assert.notEqual(second, first);
      assert.equal(refreshCookie(setCookies(byBody)), second);
      assert.equal(byBody.body.user.username, 'session_user');
      const me = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${byBody.body.accessToken}`);
      assert.equal(me.status, 200);

      const byCookie = await request(t.url).post('/api/auth/refresh').set('Cookie', `refresh_token=${second}`);
      assert.equal(byCookie.status, 200);
      const third = byCookie.body.refreshToken as string;
      assert.notEqual(third, second);

      const records = await Promise.all([first, second, third].map((tok) => t.server.storage.refreshTokens.byHash(hashRefreshToken(tok))));
      assert.ok(records.every(Boolean));
      assert.equal(new Set(records.map((r) => r!.familyId)).size, 1, 'one family');
      assert.ok(records[0]!.usedAt && records[1]!.usedAt);
      assert.equal(records[2]!.usedAt, null);
    });

    test('reusing a rotated token is 401 and revokes the family: the newest token stops working too', async () => {
      const login = await logIn(t.url, 'session_user');
      const first = login.body.refreshToken;
      const rotated = await request(t.url).post('/api/auth/refresh').send({ refreshToken: first });
      assert.equal(rotated.status, 200);
      const newest = rotated.body.refreshToken as string;

      const reuse = await request(t.url).post('/api/auth/refresh').send({ refreshToken: first });
      assert.equal(reuse.status, 401);
      assert.equal(reuse.body.error.code, 'unauthenticated');
      assert.match(setCookies(reuse).join('\n'), /refresh_token=;.*Expires=Thu, 01 Jan 1970/);
      assert.match(setCookies(reuse).join('\n'), /parley_session=;.*Expires=Thu, 01 Jan 1970/);

      const stored = await t.server.storage.refreshTokens.byHash(hashRefreshToken(newest));
      assert.ok(stored?.revokedAt, 'the newest token is revoked');
      const afterReuse = await request(t.url).post('/api/auth/refresh').send({ refreshToken: newest });
      assert.equal(afterReuse.status, 401);

      const other = await logIn(t.url, 'session_user');
      const otherRefresh = await request(t.url).post('/api/auth/refresh').send({ refreshToken: other.body.refreshToken });
      assert.equal(otherRefresh.status, 200, 'another login session is untouched');
    });

    test('refresh without a token, with an unknown token, or with unknown fields is refused', async () => {
      const none = await request(t.url).post('/api/auth/refresh');
      assert.equal(none.status, 401);
      const unknown = await request(t.url).post('/api/auth/refresh').send({ refreshToken: 'A'.repeat(43) });
      assert.equal(unknown.status, 401);
      const badCookie = await request(t.url).post('/api/auth/refresh').set('Cookie', 'refresh_token=forged');
      assert.equal(badCookie.status, 401);
      const extra = await request(t.url).post('/api/auth/refresh').send({ refreshToken: 'x', userId: 'y' });
      assert.equal(extra.status, 400);
      assert.equal(extra.body.error.fields.userId, 'is not allowed');
    });

    test('an expired refresh token is 401', async () => {
      const login = await logIn(t.url, 'session_user');
      const record = await t.server.storage.refreshTokens.byHash(hashRefreshToken(login.body.refreshToken));
      assert.ok(record);
      const token = 'expired-token-for-the-test-0123456789abcdefg';
      await t.server.storage.refreshTokens.create({
        id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        userId: record.userId,
        familyId: record.familyId,
        tokenHash: hashRefreshToken(token),
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      const res = await request(t.url).post('/api/auth/refresh').send({ refreshToken: token });
      assert.equal(res.status, 401);
      assert.match(res.body.error.message, /expired/i);
    });

    test('refresh for a user banned since login is 403 and ends the session', async () => {
      const user = await register(t.url, 'later_banned');
      const login = await logIn(t.url, 'later_banned');
      await t.server.storage.users.update(user.id, { status: 'banned' });
      const res = await request(t.url).post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken });
      assert.equal(res.status, 403);
      const me = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${login.body.accessToken}`);
      assert.equal(me.status, 403, 'the still-unexpired access token is refused as well');
      await t.server.storage.users.update(user.id, { status: 'active' });
      const again = await request(t.url).post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken });
      assert.equal(again.status, 401, 'the session stays ended after reinstatement');
    });

    test('logout is 204, clears the cookie and revokes the refresh token', async () => {
      const login = await logIn(t.url, 'session_user');
      const token = login.body.refreshToken;
      const res = await request(t.url).post('/api/auth/logout').set('Cookie', `refresh_token=${token}`);
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      const cleared = setCookies(res).find((c) => c.startsWith('refresh_token='));
      assert.ok(cleared);
      assert.match(cleared, /^refresh_token=;/);
      assert.match(cleared, /Expires=Thu, 01 Jan 1970/);
      assert.match(cleared, /Path=\/api\/auth/);

      const stored = await t.server.storage.refreshTokens.byHash(hashRefreshToken(token));
      assert.ok(stored?.revokedAt);
      const refresh = await request(t.url).post('/api/auth/refresh').send({ refreshToken: token });
      assert.equal(refresh.status, 401);
    });

    test('logout by body token works, and logout without a token is still 204', async () => {
      const login = await logIn(t.url, 'session_user');
      const res = await request(t.url).post('/api/auth/logout').send({ refreshToken: login.body.refreshToken });
      assert.equal(res.status, 204);
      const refresh = await request(t.url).post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken });
      assert.equal(refresh.status, 401);
      const anonymous = await request(t.url).post('/api/auth/logout');
      assert.equal(anonymous.status, 204);
    });
  });

  describe('GET /api/users/me', () => {
    let accessToken: string;
    let userId: string;
    before(async () => {
      userId = (await register(t.url, 'me_user')).id;
      accessToken = (await logIn(t.url, 'me_user')).body.accessToken;
    });

    test('with a valid token: the self view', async () => {
      const res = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${accessToken}`);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body).sort(), ['avatarUrl', 'createdAt', 'email', 'firstName', 'gender', 'id', 'lastName', 'role', 'username']);
      assert.equal(res.body.id, userId);
      assert.equal(res.body.email, 'me_user@example.test');
    });

    test('without a token: 401 with WWW-Authenticate', async () => {
      const res = await request(t.url).get('/api/users/me');
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthenticated');
      assert.equal(res.headers['www-authenticate'], 'Bearer');
    });

    test('with another scheme: 401', async () => {
      const basic = Buffer.from(`me_user:${TEST_PASSWORD}`).toString('base64');
      const res = await request(t.url).get('/api/users/me').set('Authorization', `Basic ${basic}`);
      assert.equal(res.status, 401);
    });

    test('with an expired token: 401 "expired"', async () => {
      const expired = await new AccessTokens(t.config.JWT_SECRET, -10).issue({ id: userId, username: 'me_user' });
      const res = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${expired}`);
      assert.equal(res.status, 401);
      assert.match(res.body.error.message, /expired/i);
      assert.match(res.headers['www-authenticate'] ?? '', /invalid_token/);
    });

    test('with a tampered token: 401', async () => {
      const [header, payload, signature] = accessToken.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forgedPayload = Buffer.from(JSON.stringify({ ...claims, username: 'someone_else' })).toString('base64url');
      const flippedSignature = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      for (const token of [`${header}.${forgedPayload}.${signature}`, `${header}.${payload}.${flippedSignature}`, 'not-a-jwt']) {
        const res = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${token}`);
        assert.equal(res.status, 401, token);
        assert.equal(res.body.error.code, 'unauthenticated');
      }
    });

    test('with a token signed by another secret, or for a user that does not exist: 401', async () => {
      const foreign = await new AccessTokens('x'.repeat(48), 60).issue({ id: userId, username: 'me_user' });
      const ghost = await new AccessTokens(t.config.JWT_SECRET, 60).issue({ id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', username: 'ghost' });
      for (const token of [foreign, ghost]) {
        const res = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${token}`);
        assert.equal(res.status, 401);
      }
    });
  });

  describe('GET /api/users', () => {
    let accessToken: string;
    const names = ['page_e', 'Page_A', 'page_d', 'page_c', 'page_b'];
    before(async () => {
      for (const name of names) await register(t.url, name);
      accessToken = (await logIn(t.url, 'page_a')).body.accessToken;
    });

    test('pages through the matches with the cursor, alphabetically, public fields only', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string> = { query: 'PAGE_', limit: '2' };
        if (cursor) query['cursor'] = cursor;
        const res = await request(t.url).get('/api/users').query(query).set('Authorization', `Bearer ${accessToken}`);
        assert.equal(res.status, 200);
        assert.ok(res.body.users.length <= 2);
        for (const user of res.body.users) {
          assert.deepEqual(Object.keys(user).sort(), ['avatarUrl', 'createdAt', 'firstName', 'gender', 'id', 'lastName', 'username']);
          seen.push(user.username);
        }
        cursor = res.body.nextCursor;
        pages += 1;
        assert.ok(pages <= 5, 'the cursor ends');
      } while (cursor);
      assert.deepEqual(seen, ['Page_A', 'page_b', 'page_c', 'page_d', 'page_e']);
      assert.ok(pages >= 3);
    });

    test('without a query: everyone (up to the limit)', async () => {
      const res = await request(t.url).get('/api/users?limit=100').set('Authorization', `Bearer ${accessToken}`);
      assert.equal(res.status, 200);
      assert.ok(res.body.users.length >= names.length);
    });

    test('needs a token', async () => {
      const res = await request(t.url).get('/api/users?query=page_');
      assert.equal(res.status, 401);
    });

    for (const [query, field] of [['limit=0', 'limit'], ['limit=101', 'limit'], ['limit=abc', 'limit'], ['role=admin', 'role'], [`query=${'q'.repeat(65)}`, 'query'], ['query=a&query=b', 'query']]) {
      test(`bad query string "${query.slice(0, 20)}" is 400 with fields.${field}`, async () => {
        const res = await request(t.url).get(`/api/users?${query}`).set('Authorization', `Bearer ${accessToken}`);
        assert.equal(res.status, 400);
        assert.equal(typeof res.body.error.fields[field], 'string', JSON.stringify(res.body));
      });
    }
  });
});

describe('login throttling', () => {
  test('per username: after N failures even the right password is 429 with Retry-After; success resets the count', async () => {
    const t = await startTestServer({ LOGIN_ATTEMPTS_PER_USERNAME: 3, LOGIN_ATTEMPTS_PER_IP: 1000 });
    try {
      await register(t.url, 'target_user');
      await register(t.url, 'bystander');

      assert.equal((await logIn(t.url, 'target_user', 'Wrong-1-Password')).status, 401);
      assert.equal((await logIn(t.url, 'target_user', 'Wrong-2-Password')).status, 401);
      assert.equal((await logIn(t.url, 'target_user')).status, 200, 'a success within the limit');
      for (let i = 0; i < 3; i += 1) {
        assert.equal((await logIn(t.url, 'target_user', `Wrong-${i}-Password`)).status, 401, `failure ${i + 1} after the reset`);
      }
      for (const username of ['target_user', 'TARGET_USER']) {
        const blocked = await logIn(t.url, username);
        assert.equal(blocked.status, 429, username);
        assert.equal(blocked.body.error?.code, 'rate_limited');
        const retryAfter = Number(blocked.headers['retry-after']);
        assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 900, `Retry-After ${blocked.headers['retry-after']}`);
        assert.equal(blocked.cookies.length, 0);
      }
      assert.equal((await logIn(t.url, 'bystander')).status, 200, 'other usernames from the same address are unaffected');
    } finally {
      await t.close();
    }
  });

  test('per address: after N failures on any usernames the address gets 429; successes do not count', async () => {
    const t = await startTestServer({ LOGIN_ATTEMPTS_PER_USERNAME: 1000, LOGIN_ATTEMPTS_PER_IP: 3 });
    try {
      await register(t.url, 'ip_user');
      for (let i = 0; i < 5; i += 1) assert.equal((await logIn(t.url, 'ip_user')).status, 200, `success ${i + 1}`);
      for (const name of ['guess_one', 'guess_two', 'guess_three']) {
        assert.equal((await logIn(t.url, name, 'Wrong-Password-1')).status, 401, name);
      }
      const blocked = await logIn(t.url, 'ip_user');
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error?.code, 'rate_limited');
      const retryAfter = Number(blocked.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 900);
    } finally {
      await t.close();
    }
  });
});

describe('secure cookies', () => {
  test('SECURE_COOKIES=true marks the refresh cookie Secure', async () => {
    const t = await startTestServer({ SECURE_COOKIES: true });
    try {
      await register(t.url, 'secure_user');
      const res = await logIn(t.url, 'secure_user');
      assert.equal(res.status, 200);
      assert.match(res.cookies.find((c) => c.startsWith('refresh_token=')) ?? '', /; Secure/);
    } finally {
      await t.close();
    }
  });

  test('behind a trusted proxy, https requests get a Secure cookie', async () => {
    const t = await startTestServer({ TRUST_PROXY: 'loopback' });
    try {
      await register(t.url, 'proxied_user');
      const res = await request(t.url).post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ username: 'proxied_user', password: TEST_PASSWORD });
      assert.equal(res.status, 200);
      assert.match(setCookies(res).find((c) => c.startsWith('refresh_token=')) ?? '', /; Secure/);
    } finally {
      await t.close();
    }
  });
});

describe('logs', () => {
  test('passwords and tokens never reach the log, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const t = await startTestServer({ LOG_LEVEL: 'trace' }, pino({ level: 'trace' }, sink));
    const secrets: string[] = [TEST_PASSWORD, 'Wrong-Password-That-Is-Secret'];
    try {
      await register(t.url, 'logged_user');
      const bad = await request(t.url).post('/api/auth/register').send(registration('x', { password: 'Another-Secret-Pass-9' }));
      assert.equal(bad.status, 400);
      secrets.push('Another-Secret-Pass-9');
      assert.equal((await logIn(t.url, 'logged_user', 'Wrong-Password-That-Is-Secret')).status, 401);
      const login = await logIn(t.url, 'logged_user');
      assert.equal(login.status, 200);
      const basic = Buffer.from(`logged_user:${TEST_PASSWORD}`).toString('base64');
      const basicLogin = await request(t.url).post('/api/auth/login').set('Authorization', `Basic ${basic}`);
      assert.equal(basicLogin.status, 200);
      const refreshed = await request(t.url).post('/api/auth/refresh').set('Cookie', `refresh_token=${login.body.refreshToken}`);
      assert.equal(refreshed.status, 200);
      const reused = await request(t.url).post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken });
      assert.equal(reused.status, 401);
      const me = await request(t.url).get('/api/users/me').set('Authorization', `Bearer ${refreshed.body.accessToken}`);
      assert.equal(me.status, 200);
      const logout = await request(t.url).post('/api/auth/logout').send({ refreshToken: basicLogin.body.refreshToken });
      assert.equal(logout.status, 204);
      secrets.push(
        basic,
        login.body.accessToken,
        login.body.refreshToken,
        basicLogin.body.accessToken,
        basicLogin.body.refreshToken,
        refreshed.body.accessToken,
        refreshed.body.refreshToken,
      );
    } finally {
      await t.close();
    }
    const log = lines.join('');
    assert.match(log, /user registered/, 'the log did capture the requests');
    assert.match(log, /refresh token reused/);
    for (const secret of secrets) assert.equal(log.includes(secret), false, 'a secret reached the log');
    // Nor a signature part of any access token on its own.
    for (const token of secrets.filter((s) => s.split('.').length === 3)) assert.equal(log.includes(token.split('.')[2]!), false);
  });
});
