import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { startTestServer, type TestServer } from './start-test-server.js';
import { CheckedClient, OpenApiValidator } from './support/openapi-validator.js';
import { registration } from './support/rest-users.js';

const HOST_SITE = 'https://host.example';
const EVIL = 'https://evil.example';

function cspDirectives(header: unknown): Map<string, string[]> {
  assert.equal(typeof header, 'string', 'Content-Security-Policy is missing');
  return new Map(
    (header as string)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((tokens) => tokens[0])
      .map((tokens) => [tokens[0]!, tokens.slice(1)]),
  );
}

describe('HTTP hardening', () => {
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    t = await startTestServer({ CORS_ORIGINS: [HOST_SITE] });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  describe('security headers', () => {
    for (const path of ['/api/users/me', '/healthz', '/api/openapi.json']) {
      test(`on ${path}`, async () => {
        const res = await api.get(path);
        const csp = cspDirectives(res.headers['content-security-policy']);
        assert.deepEqual(csp.get('default-src'), ["'self'"]);
        assert.deepEqual(csp.get('script-src'), ["'self'"]);
        assert.deepEqual(csp.get('style-src'), ["'self'", "'unsafe-inline'"]);
        assert.deepEqual(csp.get('img-src'), ["'self'", 'data:', 'https:']);
        assert.deepEqual(csp.get('connect-src'), ["'self'", 'ws:', 'wss:', HOST_SITE]);
        assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
        assert.deepEqual(csp.get('object-src'), ["'none'"]);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['x-frame-options'], 'DENY');
        assert.equal(res.headers['referrer-policy'], 'no-referrer');
        assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
        assert.equal(res.headers['x-powered-by'], undefined);
      });
    }
  });

  describe('CORS allowlist', () => {
    test('an allowed origin gets Access-Control-Allow-Origin with credentials', async () => {
      const res = await api.get('/api/openapi.json', { headers: { origin: HOST_SITE } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['access-control-allow-origin'], HOST_SITE);
      assert.equal(res.headers['access-control-allow-credentials'], 'true');
      assert.match(String(res.headers['vary']), /Origin/);
    });

    test('an allowed origin passes the preflight', async () => {
      const res = await fetch(`${t.url}/api/auth/login`, {
        method: 'OPTIONS',
        headers: { origin: HOST_SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), HOST_SITE);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
    });

    test('any other origin is refused with 403 before the route runs', async () => {
      const res = await api.get('/api/openapi.json', { headers: { origin: EVIL } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'forbidden');
      assert.equal(res.headers['access-control-allow-origin'], undefined);

      const register = await api.post('/api/auth/register', {
        headers: { origin: EVIL },
        body: registration('via-evil'),
      });
      assert.equal(register.status, 403);
      assert.equal(await t.server.storage.users.byUsername('via-evil'), null, 'nothing happened');

      const preflight = await fetch(`${t.url}/api/auth/login`, {
        method: 'OPTIONS',
        headers: { origin: EVIL, 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);

      const lookalike = await api.get('/healthz', { headers: { origin: `${HOST_SITE}.evil.example` } });
      assert.equal(lookalike.status, 403);
    });

    test('same-origin requests and requests without Origin pass', async () => {
      const sameOrigin = await api.get('/healthz', { headers: { origin: t.url } });
      assert.equal(sameOrigin.status, 200);
      assert.equal(sameOrigin.headers['access-control-allow-origin'], undefined, 'no CORS headers are needed for the same origin');
      assert.equal((await api.get('/healthz')).status, 200);
    });

    test('the socket server applies the same allowlist to its handshake', async () => {
      const connects = (origin: string) =>
        new Promise<boolean>((resolve) => {
          const socket = io(t.url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin } });
          const done = (result: boolean) => {
            socket.close();
            resolve(result);
          };
          socket.once('connect', () => done(true));
          socket.once('connect_error', () => done(false));
        });
      assert.equal(await connects(HOST_SITE), true);
      assert.equal(await connects(EVIL), false);
    });
  });

  test('an oversized body is 413, a malformed one 400', async () => {
    const big = await api.post('/api/auth/login', { body: { username: 'x', password: 'y'.repeat(200_000) } });
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, 'payload_too_large');
    const malformed = await api.post('/api/auth/login', { headers: { 'content-type': 'application/json' }, body: '{"username":' });
    assert.equal(malformed.status, 400);
  });
});
