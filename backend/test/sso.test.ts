import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { PublicUser } from '../../shared/src/domain.js';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { resolveSsoKey, SsoConfigError } from '../src/sso/sso-key.js';
import { authenticatedSocket } from './support/socket-client.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { CheckedClient, OpenApiValidator, type CheckedResponse } from './support/openapi-validator.js';
import { registration } from './support/rest-users.js';

const SECRET = randomBytes(32).toString('base64url');
const ISSUER = 'https://host.example';
const AUDIENCE = 'chat';
const nowS = () => Math.floor(Date.now() / 1000);

/** Claims of a host user, valid for five minutes. */
function claims(sub: string, extra: JWTPayload = {}): JWTPayload {
  return { sub, iss: ISSUER, aud: AUDIENCE, iat: nowS(), exp: nowS() + 300, ...extra };
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
    const token = await signHs256(claims('host-user-race', { preferred_username: 'racer' }));
    const answers = await Promise.all([1, 2, 3, 4].map(() => api.post('/api/auth/sso', { body: { token } })));
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
    const token = await signHs256(claims('host-user-6', { preferred_username: 'to-ban-sso' }));
    const first = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(first.status, 200);
    await t.server.storage.users.update(first.body.user.id, { status: 'banned' });
    const again = await api.post('/api/auth/sso', { body: { token } });
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
    const token = await signWith('RS256', privateKey, { sub: 'rs-user', preferred_username: 'rosalind', exp: nowS() + 60 });
    const res = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.username, 'rosalind');
  });

  test('algorithm confusion: an HS256 token keyed with the public key is refused', async () => {
    const payload = { sub: 'rs-confused', preferred_username: 'confused', exp: nowS() + 60 };
    await expectRefused(api, hmacToken(payload, publicPem), /algorithm/);
    await expectRefused(api, hmacToken(payload, publicPem.trim()), /algorithm/);
    await expectRefused(api, await signHs256(payload), /algorithm/);
    assert.equal(await t.server.storage.users.byUsername('confused'), null);
  });

  test('another RSA key, even when it comes with its own jwk header, is refused', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const token = await signWith('RS256', attacker.privateKey, { sub: 'rs-attacker', exp: nowS() + 60 }, { jwk: await exportJWK(attacker.publicKey) });
    await expectRefused(api, token, /Invalid SSO token/);
  });

  test('PS256 with the right key is refused: the algorithm is pinned', async () => {
    const samePrivateKeyForPss = await importPKCS8(await exportPKCS8(privateKey), 'PS256');
    const token = await signWith('PS256', samePrivateKeyForPss, { sub: 'rs-ps', exp: nowS() + 60 });
    await expectRefused(api, token, /algorithm/);
  });

  test('alg none and a missing exp', async () => {
    await expectRefused(api, unsigned({ sub: 'rs-none', exp: nowS() + 60 }), /./);
    await expectRefused(api, await signWith('RS256', privateKey, { sub: 'rs-noexp' }), /"exp"/);
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
    const token = await signWith('ES256', privateKey, { sub: 'es-user', username: 'emmy', given_name: 'Emmy', exp: nowS() + 60 });
    const res = await api.post('/api/auth/sso', { body: { token } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.username, 'emmy');
    assert.equal(res.body.user.firstName, 'Emmy');
  });

  test('an RS256 token is refused', async () => {
    const rsa = await generateKeyPair('RS256');
    await expectRefused(api, await signWith('RS256', rsa.privateKey, { sub: 'es-rs', exp: nowS() + 60 }), /algorithm/);
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
