import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
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
        const host = new URL(t.url).host;
        assert.deepEqual(csp.get('connect-src'), ["'self'", `ws://${host}`, HOST_SITE, 'wss://host.example']);
        assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
        assert.deepEqual(csp.get('object-src'), ["'none'"]);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['x-frame-options'], 'DENY');
        assert.equal(res.headers['referrer-policy'], 'no-referrer');
        assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain http');
        assert.equal(res.headers['x-powered-by'], undefined);
      });
    }
  });

  describe('Strict-Transport-Security and connect-src follow the request', () => {
    test('connect-src never allows WebSockets to any host', async () => {
      const res = await api.get('/healthz');
      const connect = cspDirectives(res.headers['content-security-policy']).get('connect-src') ?? [];
      for (const source of connect) assert.doesNotMatch(source, /^(wss?:|https?:|\*)$/, `bare scheme or wildcard in connect-src: ${source}`);
    });

    test('X-Forwarded-Proto is not believed without TRUST_PROXY: no HSTS, ws:// for the own host', async () => {
      const res = await api.get('/healthz', { headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(res.headers['strict-transport-security'], undefined);
      assert.ok(cspDirectives(res.headers['content-security-policy']).get('connect-src')?.includes(`ws://${new URL(t.url).host}`));
    });

    test('a hostile Host header cannot add sources or directives to the CSP', async () => {
      const hostile = [
        "evil.example; script-src 'unsafe-inline' *",
        'evil.example connect-src *',
        'evil.example,wss://evil.example',
        "evil.example'",
        'evil.example/path',
        'user@evil.example',
      ];
      for (const host of hostile) {
        const res = await rawGet(t.url, '/healthz', { host });
        const header = res.headers['content-security-policy'];
        assert.equal(typeof header, 'string', `a CSP for Host ${JSON.stringify(host)}`);
        const csp = cspDirectives(header);
        assert.deepEqual(csp.get('script-src'), ["'self'"], `Host ${JSON.stringify(host)}`);
        assert.deepEqual(csp.get('connect-src'), ["'self'", HOST_SITE, 'wss://host.example'], `Host ${JSON.stringify(host)}`);
        assert.equal(String(header).split(';').filter((part) => part.trim().startsWith('connect-src')).length, 1);
        assert.doesNotMatch(String(header), /evil/);
      }
    });
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

/** A GET with headers Node's fetch would not send as given (Host). */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers, setHost: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP hardening behind a TLS-terminating proxy (TRUST_PROXY)', () => {
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    t = await startTestServer({ CORS_ORIGINS: [HOST_SITE, 'http://intranet.example:8080'], TRUST_PROXY: 'loopback' });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('an https request (X-Forwarded-Proto) gets HSTS and wss:// for its own host', async () => {
    const res = await api.get('/healthz', { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.deepEqual(cspDirectives(res.headers['content-security-policy']).get('connect-src'), [
      "'self'",
      'wss://chat.example.com',
      HOST_SITE,
      'wss://host.example',
      'http://intranet.example:8080',
      'ws://intranet.example:8080',
    ]);
  });

  test('an http request through the proxy gets no HSTS', async () => {
    const res = await api.get('/healthz', { headers: { 'x-forwarded-proto': 'http' } });
    assert.equal(res.headers['strict-transport-security'], undefined);
    assert.equal((await api.get('/healthz')).headers['strict-transport-security'], undefined);
  });

  test('a hostile X-Forwarded-Host cannot inject into the CSP either', async () => {
    const res = await api.get('/healthz', { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': "chat.example.com; script-src *" } });
    const header = String(res.headers['content-security-policy']);
    assert.deepEqual(cspDirectives(header).get('script-src'), ["'self'"]);
    assert.doesNotMatch(header, /chat\.example\.com/);
    const ipv6 = await api.get('/healthz', { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': '[::1]:8443' } });
    assert.ok(cspDirectives(ipv6.headers['content-security-policy']).get('connect-src')?.includes('wss://[::1]:8443'));
  });
});
