import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { PublicUser } from '../../shared/src/schemas/users.js';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { Redis } from 'ioredis';
import { parseEnvironment } from '../src/config.js';
import { RedisSsoTokenUseStore } from '../src/sso/redis-sso-token-use-store.js';
import { resolveSsoKey, SsoConfigError } from '../src/sso/sso-key.js';
import { runSsoTokenUseContract } from '../src/storage/contract/sso-token-use-contract.js';
import { redisForTests, type RunningRedis } from './support/redis-server.js';
import { authenticatedSocket } from './support/socket-client.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { CheckedClient, OpenApiValidator, type CheckedResponse } from './support/openapi-validator.js';
import { registration } from './support/rest-users.js';

const SECRET = randomBytes(32).toString('base64url');
const ISSUER = 'https://host.example';
const AUDIENCE = 'chat';
const nowS = () => Math.floor(Date.now() / 1000);

/** Claims of a host user, issued now with a fresh jti, valid for five minutes. */
function claims(sub: string, extra: JWTPayload = {}): JWTPayload {
  return { sub, iss: ISSUER, aud: AUDIENCE, iat: nowS(), exp: nowS() + 300, jti: randomUUID(), ...extra };
}

/** `payload` issued now, with a fresh jti (for the servers without SSO_ISSUER / SSO_AUDIENCE). */
function fresh(payload: JWTPayload): JWTPayload {
  return { iat: nowS(), jti: randomUUID(), ...payload };
}

async function signHs256(payload: JWTPayload, secret: string | Uint8Array = SECRET): Promise<string> {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
}

async function signWith(alg: string, key: CryptoKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(key);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned token: `alg: none`, empty signature. */
function unsigned(payload: JWTPayload): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}

/** HS256 by hand, with any bytes as the secret (jose refuses a PEM string as an HMAC key). */
function hmacToken(payload: JWTPayload, secret: string): string {
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

function refreshCookie(response: CheckedResponse): string | undefined {
  return [response.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('refresh_token='));
}

async function expectRefused(api: CheckedClient, token: string, why: RegExp): Promise<void> {
  const res = await api.post('/api/auth/sso', { body: { token } });
  assert.equal(res.status, 401, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'unauthenticated');
  assert.match(res.body.error.message, why);
  assert.equal(refreshCookie(res), undefined);
}

describe('single sign-on with HS256 (SSO_SECRET)', () => {
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    t = await startTestServer({ SSO_SECRET: SECRET, SSO_ISSUER: ISSUER, SSO_AUDIENCE: AUDIENCE });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('first use provisions the account from the claims and signs in like login does', async () => {
    const token = await signHs256(
      claims('host-user-1', {
        preferred_username: 'marie',
        given_name: 'Marie',
        family_name: 'Curie',
        email: 'marie@host.example',
        picture: 'https://host.example/marie.png',
      }),
    );
    const res = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.username, 'marie');
    assert.equal(res.body.user.firstName, 'Marie');
    assert.equal(res.body.user.lastName, 'Curie');
    assert.equal(res.body.user.email, 'marie@host.example');
    assert.equal(res.body.user.avatarUrl, 'https://host.example/marie.png');
    assert.equal(res.body.user.role, 'user');
    assert.equal(res.body.expiresIn, t.config.ACCESS_TOKEN_TTL_S);
    assert.equal(res.headers['cache-control'], 'no-store');

    const cookie = refreshCookie(res);
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.match(cookie, /Path=\/api\/auth/);
    assert.equal(cookie.split(';')[0], `refresh_token=${res.body.refreshToken}`);

    const me = await api.get('/api/users/me', { token: res.body.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, res.body.user.id);
    const refreshed = await api.post('/api/auth/refresh', { headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(refreshed.status, 200, 'the SSO session refreshes like any other');

    const stored = await t.server.storage.users.byId(res.body.user.id);
    assert.equal(stored?.externalId, 'host-user-1');
    assert.equal(stored?.passwordHash, null);
    const login = await api.post('/api/auth/login', { body: { username: 'marie', password: 'anything-at-all-1' } });
    assert.equal(login.status, 401, 'an SSO account has no password to log in with');
  });

  test('the same sub always reaches the same account; names and email follow the host, the username does not', async () => {
    const first = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-2', { preferred_username: 'pierre' })) } });
    assert.equal(first.status, 200);
    const second = await api.post('/api/auth/sso', {
      body: { token: await signHs256(claims('host-user-2', { preferred_username: 'pierre-renamed', name: 'Pierre Curie', email: 'p@host.example' })) },
    });
    assert.equal(second.status, 200);
    assert.equal(second.body.user.id, first.body.user.id);
    assert.equal(second.body.user.username, 'pierre');
    assert.equal(second.body.user.firstName, 'Pierre');
    assert.equal(second.body.user.lastName, 'Curie');
    assert.equal(second.body.user.email, 'p@host.example');
    assert.equal((await t.server.storage.users.search({ prefix: 'pierre', limit: 10 })).users.length, 1);
  });

  test('a sign-in that changes the profile tells connected clients with user:updated', async () => {
    const first = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-live', { preferred_username: 'irene', name: 'Irene Joliot' })) } });
    assert.equal(first.status, 200);
    const watcher = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-watcher', { preferred_username: 'sso-watcher' })) } });
    const socket = await authenticatedSocket(t, watcher.body.accessToken);
    try {
      const updated = new Promise<PublicUser>((resolve) =>
        socket.on('user:updated', (user: PublicUser) => {
          if (user.id === first.body.user.id) resolve(user);
        }),
      );
      const again = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-live', { preferred_username: 'irene', name: 'Irene Curie' })) } });
      assert.equal(again.status, 200);
      const user = await Promise.race([updated, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no user:updated')), 3000))]);
      assert.equal(user.lastName, 'Curie');
      assert.equal(user.username, 'irene');
    } finally {
      socket.close();
    }
  });

  test('two first sign-ins of one sub at once create one account', async () => {
    const tokens = await Promise.all([1, 2, 3, 4].map(() => signHs256(claims('host-user-race', { preferred_username: 'racer' }))));
    const answers = await Promise.all(tokens.map((token) => api.post('/api/auth/sso', { body: { token } })));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
    assert.equal(new Set(answers.map((a) => a.body.user.id)).size, 1);
  });

  test('a username that belongs to another account is 409 naming the field', async () => {
    const registered = await api.post('/api/auth/register', { body: registration('Taken') });
    assert.equal(registered.status, 201);
    const res = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-3', { preferred_username: 'taken' })) } });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.deepEqual(Object.keys(res.body.error.fields), ['username']);
    assert.match(res.body.error.message, /preferred_username/);
    assert.equal(await t.server.storage.users.byExternalId('host-user-3'), null);
  });

  test('a username claim that breaks our rules is 400 naming the claim; without one a stable name is derived', async () => {
    const bad = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-4', { preferred_username: 'has space' })) } });
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.fields.preferred_username);

    const noName = await signHs256(claims('host-user-5', { email: 'dora.m@host.example' }));
    const derived = await api.post('/api/auth/sso', { body: { token: noName } });
    assert.equal(derived.status, 200);
    assert.equal(derived.body.user.username, 'dora.m');
  });

  test('a banned SSO account is refused', async () => {
    const first = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-6', { preferred_username: 'to-ban-sso' })) } });
    assert.equal(first.status, 200);
    await t.server.storage.users.update(first.body.user.id, { status: 'banned' });
    const again = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-user-6', { preferred_username: 'to-ban-sso' })) } });
    assert.equal(again.status, 403);
    assert.equal(refreshCookie(again), undefined);
  });

  test('malformed requests are 400', async () => {
    assert.equal((await api.post('/api/auth/sso', { body: {} })).status, 400);
    assert.equal((await api.post('/api/auth/sso', { body: { token: 'x', extra: true } })).status, 400);
  });

  describe('attacks and bad tokens are 401', () => {
    test('alg none', async () => {
      await expectRefused(api, unsigned(claims('attacker', { preferred_username: 'mallory' })), /./);
    });

    test('a key carried in the token header (jwk) is never used', async () => {
      const attacker = await generateKeyPair('RS256', { extractable: true });
      const jwk = await exportJWK(attacker.publicKey);
      const token = await signWith('RS256', attacker.privateKey, claims('attacker', { preferred_username: 'mallory' }), { jwk, kid: 'any' });
      await expectRefused(api, token, /./);
      const hsWithJku = await new SignJWT(claims('attacker'))
        .setProtectedHeader({ alg: 'HS256', jku: 'https://evil.example/jwks.json', kid: 'evil' })
        .sign(new TextEncoder().encode(randomBytes(32).toString('hex')));
      await expectRefused(api, hsWithJku, /Invalid SSO token/);
      assert.equal(await t.server.storage.users.byUsername('mallory'), null);
    });

    test('signed with another secret', async () => {
      await expectRefused(api, await signHs256(claims('attacker'), randomBytes(32)), /Invalid SSO token/);
    });

    test('expired beyond the 30 s tolerance; within it, accepted', async () => {
      await expectRefused(api, await signHs256(claims('host-exp', { exp: nowS() - 120, iat: nowS() - 400 })), /expired/);
      const lenient = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-exp', { exp: nowS() - 10 })) } });
      assert.equal(lenient.status, 200, 'ten seconds of clock skew is tolerated');
    });

    test('not yet valid (nbf in the future beyond the tolerance)', async () => {
      await expectRefused(api, await signHs256(claims('host-nbf', { nbf: nowS() + 120 })), /not valid yet/);
      const lenient = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-nbf', { nbf: nowS() + 10 })) } });
      assert.equal(lenient.status, 200);
    });

    test('wrong audience, wrong issuer, missing exp, missing sub', async () => {
      await expectRefused(api, await signHs256(claims('host-aud', { aud: 'someone-else' })), /audience/);
      await expectRefused(api, await signHs256(claims('host-iss', { iss: 'https://evil.example' })), /issued by someone else/);
      const { exp: _exp, ...withoutExp } = claims('host-noexp');
      await expectRefused(api, await signHs256(withoutExp), /"exp"/);
      const { sub: _sub, ...withoutSub } = claims('ignored');
      await expectRefused(api, await signHs256(withoutSub), /"sub"/);
      assert.equal(await t.server.storage.users.byExternalId('host-noexp'), null);
    });

    test('garbage', async () => {
      await expectRefused(api, 'not.a.jwt', /Invalid SSO token/);
    });
  });
});

describe('single sign-on with RS256 (SSO_PUBLIC_KEY)', () => {
  let t: TestServer;
  let api: CheckedClient;
  let privateKey: CryptoKey;
  let publicPem: string;
  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    // SSO_SECRET as well: with a public key configured, HMAC tokens must still be refused.
    t = await startTestServer({ SSO_PUBLIC_KEY: publicPem, SSO_SECRET: SECRET });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('happy path', async () => {
    const token = await signWith('RS256', privateKey, fresh({ sub: 'rs-user', preferred_username: 'rosalind', exp: nowS() + 60 }));
    const res = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.username, 'rosalind');
  });

  test('algorithm confusion: an HS256 token keyed with the public key is refused', async () => {
    const payload = fresh({ sub: 'rs-confused', preferred_username: 'confused', exp: nowS() + 60 });
    await expectRefused(api, hmacToken(payload, publicPem), /algorithm/);
    await expectRefused(api, hmacToken(payload, publicPem.trim()), /algorithm/);
    await expectRefused(api, await signHs256(payload), /algorithm/);
    assert.equal(await t.server.storage.users.byUsername('confused'), null);
  });

  test('another RSA key, even when it comes with its own jwk header, is refused', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const token = await signWith('RS256', attacker.privateKey, fresh({ sub: 'rs-attacker', exp: nowS() + 60 }), { jwk: await exportJWK(attacker.publicKey) });
    await expectRefused(api, token, /Invalid SSO token/);
  });

  test('PS256 with the right key is refused: the algorithm is pinned', async () => {
    const samePrivateKeyForPss = await importPKCS8(await exportPKCS8(privateKey), 'PS256');
    const token = await signWith('PS256', samePrivateKeyForPss, fresh({ sub: 'rs-ps', exp: nowS() + 60 }));
    await expectRefused(api, token, /algorithm/);
  });

  test('alg none and a missing exp', async () => {
    await expectRefused(api, unsigned(fresh({ sub: 'rs-none', exp: nowS() + 60 })), /./);
    await expectRefused(api, await signWith('RS256', privateKey, fresh({ sub: 'rs-noexp' })), /"exp"/);
  });
});

describe('single sign-on with ES256 (SSO_PUBLIC_KEY)', () => {
  let t: TestServer;
  let api: CheckedClient;
  let privateKey: CryptoKey;
  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    // Environment files often hold the PEM on one line with literal \n.
    const oneLine = (await exportSPKI(pair.publicKey)).trim().replace(/\n/g, '\\n');
    t = await startTestServer({ SSO_PUBLIC_KEY: oneLine });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('happy path', async () => {
    const token = await signWith('ES256', privateKey, fresh({ sub: 'es-user', username: 'emmy', given_name: 'Emmy', exp: nowS() + 60 }));
    const res = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.username, 'emmy');
    assert.equal(res.body.user.firstName, 'Emmy');
  });

  test('an RS256 token is refused', async () => {
    const rsa = await generateKeyPair('RS256');
    await expectRefused(api, await signWith('RS256', rsa.privateKey, fresh({ sub: 'es-rs', exp: nowS() + 60 })), /algorithm/);
  });
});

describe('single sign-on configuration', () => {
  test('without SSO_SECRET or SSO_PUBLIC_KEY the route answers 404', async () => {
    const t = await startTestServer();
    try {
      const api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
      const res = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('nobody')) } });
      assert.equal(res.status, 404);
    } finally {
      await t.close();
    }
  });

  test('a short secret or a bad key stops start-up', async () => {
    await assert.rejects(resolveSsoKey({ SSO_SECRET: 'too-short' }), SsoConfigError);
    await assert.rejects(resolveSsoKey({ SSO_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' }), SsoConfigError);
    const ed = await generateKeyPair('EdDSA', { extractable: true });
    await assert.rejects(resolveSsoKey({ SSO_PUBLIC_KEY: await exportSPKI(ed.publicKey) }), SsoConfigError);
    await assert.rejects(startTestServer({ SSO_SECRET: 'too-short' }), SsoConfigError);
  });
});

/** Posts the token; the answers' statuses. */
async function statusesOf(api: CheckedClient, tokens: string[]): Promise<number[]> {
  const answers = await Promise.all(tokens.map((token) => api.post('/api/auth/sso', { body: { token } })));
  return answers.map((answer) => answer.status);
}

describe('single sign-on tokens are short-lived and single-use', () => {
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    t = await startTestServer({ SSO_SECRET: SECRET, SSO_ISSUER: ISSUER, SSO_AUDIENCE: AUDIENCE });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('SSO_MAX_AGE_S defaults to 300 s and SSO_ALLOW_NO_JTI to off', () => {
    assert.equal(t.config.SSO_MAX_AGE_S, 300);
    assert.notEqual(t.config.SSO_ALLOW_NO_JTI, true);
    assert.equal(parseEnvironment({ SSO_MAX_AGE_S: '60', SSO_ALLOW_NO_JTI: '1' }).SSO_MAX_AGE_S, 60);
    assert.equal(parseEnvironment({ SSO_ALLOW_NO_JTI: '1' }).SSO_ALLOW_NO_JTI, true);
    assert.throws(() => parseEnvironment({ SSO_MAX_AGE_S: '0' }));
  });

  test('a token is accepted once; presenting it again is refused', async () => {
    const token = await signHs256(claims('host-once', { preferred_username: 'once' }));
    const first = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    await expectRefused(api, token, /already been used/);
    await expectRefused(api, token, /already been used/);
    const another = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-once')) } });
    assert.equal(another.status, 200, 'a new token of the same user works');
    assert.equal(another.body.user.id, first.body.user.id);
  });

  test('of simultaneous sign-ins with one token exactly one succeeds', async () => {
    const token = await signHs256(claims('host-simultaneous', { preferred_username: 'simultaneous' }));
    const statuses = await statusesOf(api, Array.from({ length: 6 }, () => token));
    assert.deepEqual(statuses.toSorted(), [200, 401, 401, 401, 401, 401]);
  });

  test('a refused sign-in spends the token too: a banned account gets 403 once, then 401', async () => {
    const first = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-spent', { preferred_username: 'spent' })) } });
    assert.equal(first.status, 200);
    await t.server.storage.users.update(first.body.user.id, { status: 'banned' });
    const token = await signHs256(claims('host-spent'));
    assert.equal((await api.post('/api/auth/sso', { body: { token } })).status, 403);
    await expectRefused(api, token, /already been used/);
  });

  test('a token without iat is refused', async () => {
    const { iat: _iat, ...withoutIat } = claims('host-no-iat', { preferred_username: 'no-iat' });
    await expectRefused(api, await signHs256(withoutIat), /"iat"/);
    await expectRefused(api, await signHs256({ ...withoutIat, iat: 'yesterday' } as unknown as JWTPayload), /"iat"/);
    assert.equal(await t.server.storage.users.byExternalId('host-no-iat'), null);
  });

  test('a token issued more than SSO_MAX_AGE_S ago is refused as expired, whatever its exp', async () => {
    await expectRefused(api, await signHs256(claims('host-old', { iat: nowS() - 400 })), /expired/);
    // Within the 30 s of clock tolerance: accepted.
    const edge = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-old', { iat: nowS() - 320 })) } });
    assert.equal(edge.status, 200, JSON.stringify(edge.body));
    assert.equal(await t.server.storage.users.byExternalId('host-old').then((user) => user?.externalId), 'host-old');
  });

  test('an exp ten years ahead buys nothing: the token lives SSO_MAX_AGE_S from its iat', async () => {
    const tenYears = nowS() + 10 * 365 * 86_400;
    const now = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-long', { exp: tenYears })) } });
    assert.equal(now.status, 200, 'accepted while young');
    // The same token as it would be presented later: issued longer ago than SSO_MAX_AGE_S (+ 30 s).
    await expectRefused(api, await signHs256(claims('host-long', { exp: tenYears, iat: nowS() - 331 })), /expired/);
    await expectRefused(api, await signHs256(claims('host-long', { exp: tenYears, iat: nowS() - 3600 })), /expired/);
  });

  test('an iat in the future beyond the 30 s tolerance is refused; within it, accepted', async () => {
    await expectRefused(api, await signHs256(claims('host-future', { iat: nowS() + 120 })), /not valid yet/);
    const lenient = await api.post('/api/auth/sso', { body: { token: await signHs256(claims('host-future', { iat: nowS() + 10 })) } });
    assert.equal(lenient.status, 200, JSON.stringify(lenient.body));
  });

  test('a token without jti, or with an unusable one, is refused', async () => {
    const { jti: _jti, ...withoutJti } = claims('host-no-jti', { preferred_username: 'no-jti' });
    await expectRefused(api, await signHs256(withoutJti), /"jti"/);
    await expectRefused(api, await signHs256({ ...withoutJti, jti: 42 } as unknown as JWTPayload), /"jti"/);
    await expectRefused(api, await signHs256({ ...withoutJti, jti: '' }), /"jti"/);
    await expectRefused(api, await signHs256({ ...withoutJti, jti: 'x'.repeat(256) }), /"jti"/);
    assert.equal(await t.server.storage.users.byExternalId('host-no-jti'), null);
  });

  test('the use is remembered in the store, and a token refused for other reasons is not spent', async () => {
    const payload = claims('host-remembered');
    await expectRefused(api, await signHs256(payload, randomBytes(32)), /Invalid SSO token/);
    const ok = await api.post('/api/auth/sso', { body: { token: await signHs256(payload) } });
    assert.equal(ok.status, 200, 'a forged token with the same jti did not spend it');
    // Another token with the same issuer and jti is a replay, even with other claims.
    await expectRefused(api, await signHs256({ ...claims('host-remembered-2'), jti: payload.jti }), /already been used/);
  });
});

describe('single sign-on with SSO_ALLOW_NO_JTI and a shorter SSO_MAX_AGE_S', () => {
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    t = await startTestServer({ SSO_SECRET: SECRET, SSO_ALLOW_NO_JTI: true, SSO_MAX_AGE_S: 60 });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('a token without jti is accepted once: its digest stands in for the jti', async () => {
    const token = await signHs256({ sub: 'nojti-user', preferred_username: 'nojti', iat: nowS(), exp: nowS() + 60 });
    const first = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    await expectRefused(api, token, /already been used/);
    const later = await signHs256({ sub: 'nojti-user', iat: nowS() - 1, exp: nowS() + 60 });
    assert.equal((await api.post('/api/auth/sso', { body: { token: later } })).status, 200, 'another token of the same user');
  });

  test('iat is still required, and SSO_MAX_AGE_S is the configured one', async () => {
    await expectRefused(api, await signHs256({ sub: 'nojti-old', exp: nowS() + 60 }), /"iat"/);
    await expectRefused(api, await signHs256(fresh({ sub: 'nojti-old', iat: nowS() - 100, exp: nowS() + 600 })), /expired/);
    const young = await api.post('/api/auth/sso', { body: { token: await signHs256(fresh({ sub: 'nojti-old', iat: nowS() - 50, exp: nowS() + 600 })) } });
    assert.equal(young.status, 200);
  });

  test('jti is scoped by issuer: two hosts may use the same jti', async () => {
    const jti = randomUUID();
    const fromA = await signHs256({ sub: 'scoped-a', iss: 'https://a.example', jti, iat: nowS(), exp: nowS() + 60 });
    const fromB = await signHs256({ sub: 'scoped-b', iss: 'https://b.example', jti, iat: nowS(), exp: nowS() + 60 });
    assert.deepEqual(await statusesOf(api, [fromA, fromB]), [200, 200]);
    const againFromA = await signHs256({ sub: 'scoped-a2', iss: 'https://a.example', jti, iat: nowS(), exp: nowS() + 60 });
    await expectRefused(api, againFromA, /already been used/);
  });
});

describe('single sign-on across processes with REDIS_URL', () => {
  let redis: RunningRedis;
  let client: Redis;
  let servers: TestServer[];
  let apis: CheckedClient[];
  before(async () => {
    redis = await redisForTests();
    client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    // Two servers with a database each: only Redis can tell one about the other's sign-ins.
    servers = [];
    for (let i = 0; i < 2; i += 1) servers.push(await startTestServer({ SSO_SECRET: SECRET, REDIS_URL: redis.url }));
    apis = await Promise.all(servers.map(async (t) => new CheckedClient(t.url, await OpenApiValidator.load(t.url))));
  });
  after(async () => {
    for (const t of servers ?? []) await t.close();
    client?.disconnect();
    await redis?.stop();
  });

  test('a token used on one process is refused on the other', async () => {
    const token = await signHs256(fresh({ sub: 'redis-user', preferred_username: 'redis-user', exp: nowS() + 60 }));
    assert.equal((await apis[0]!.post('/api/auth/sso', { body: { token } })).status, 200);
    await expectRefused(apis[1]!, token, /already been used/);
    await expectRefused(apis[0]!, token, /already been used/);
  });

  test('of simultaneous uses of one token on both processes exactly one succeeds, and Redis forgets it when it expires', async () => {
    const payload = fresh({ sub: 'redis-race', exp: nowS() + 60 });
    const token = await signHs256(payload);
    const answers = await Promise.all([0, 1, 0, 1, 0, 1].map((i) => apis[i]!.post('/api/auth/sso', { body: { token } })));
    assert.deepEqual(answers.map((a) => a.status).toSorted(), [200, 401, 401, 401, 401, 401]);
    const keys = await client.keys('chat:sso-token-use:*');
    assert.ok(keys.length >= 1);
    const ttls = await Promise.all(keys.map((key) => client.pttl(key)));
    for (const ttl of ttls) assert.ok(ttl > 0 && ttl <= (60 + 30 + 1) * 1000, `expiry ${ttl} ms follows the token's exp`);
  });

  runSsoTokenUseContract(
    'redis',
    async () => {
      const contractClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await contractClient.connect();
      const prefix = `test:sso-contract:${randomUUID()}:`;
      return { storage: { ssoTokenUses: new RedisSsoTokenUseStore(contractClient, prefix) }, cleanup: async () => contractClient.disconnect() };
    },
    { expiresByItself: true },
  );
});
