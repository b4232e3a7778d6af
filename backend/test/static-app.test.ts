/**
 * The built web app as the server hands it out: hashed files compressed (brotli or gzip, as the
 * browser asks) and cached for a year as immutable, index.html and the client-side routes with
 * no-cache, the API and tiny files not compressed, the Content-Security-Policy unchanged.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestServer, type TestServer } from './start-test-server.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A chunk like the Angular build's: big enough to be worth compressing, and compressible. */
const CHUNK = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `word${i % 50}`))};\n`;
const INDEX = `<!doctype html><html><head><title>app</title></head><body><app-root></app-root>${'<!-- padding -->'.repeat(200)}<script src="main-ABCD2345.js" type="module"></script></body></html>`;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body is read as bytes, undecoded, so the test sees what went over the wire. */
function rawGet(url: string, acceptEncoding: string | undefined): Promise<RawAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding };
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('the web app files', () => {
  let t: TestServer;
  let staticRoot: string;

  before(async () => {
    staticRoot = mkdtempSync(join(tmpdir(), 'chat-static-'));
    mkdirSync(join(staticRoot, 'assets'));
    writeFileSync(join(staticRoot, 'index.html'), INDEX);
    writeFileSync(join(staticRoot, 'main-ABCD2345.js'), CHUNK);
    writeFileSync(join(staticRoot, 'styles-QRST2345.css'), `body{margin:0}${'.a{color:red}'.repeat(200)}`);
    writeFileSync(join(staticRoot, 'assets', 'data.json'), JSON.stringify({ list: Array.from({ length: 3000 }, (_, i) => i % 7) }));
    writeFileSync(join(staticRoot, 'tiny-WXYZ2345.js'), 'export {};\n');
    writeFileSync(join(staticRoot, 'chunk-v-E1zzVv.js'), 'export {};\n');
    writeFileSync(join(staticRoot, 'ngsw-worker.js'), 'self.addEventListener("fetch", () => {});\n');
    writeFileSync(join(staticRoot, 'ngsw.json'), JSON.stringify({ configVersion: 1, assetGroups: [] }));
    t = await startTestServer({ STATIC_DIR: staticRoot });
  });
  after(async () => {
    await t.close();
    rmSync(staticRoot, { recursive: true, force: true });
  });

  test('a hashed chunk comes brotli-compressed and immutable for a year', async () => {
    const res = await rawGet(`${t.url}/main-ABCD2345.js`, 'gzip, deflate, br');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers['cache-control'], IMMUTABLE);
    assert.match(String(res.headers.vary), /Accept-Encoding/i);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.ok(res.body.length < CHUNK.length / 4, `${res.body.length} bytes sent for ${CHUNK.length}`);
    assert.equal(brotliDecompressSync(res.body).toString('utf8'), CHUNK);
  });

  test('a lazy chunk named by the chunk-merging build (base64url hash) is immutable too', async () => {
    const res = await rawGet(`${t.url}/chunk-v-E1zzVv.js`, 'gzip');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], IMMUTABLE);
  });

  test('a browser without brotli gets gzip', async () => {
    const res = await rawGet(`${t.url}/main-ABCD2345.js`, 'gzip');
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['cache-control'], IMMUTABLE);
    assert.equal(gunzipSync(res.body).toString('utf8'), CHUNK);
  });

  test('without Accept-Encoding the file comes as it is', async () => {
    const res = await rawGet(`${t.url}/main-ABCD2345.js`, undefined);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body.toString('utf8'), CHUNK);
  });

  test('hashed stylesheets are immutable too, and compressed', async () => {
    const res = await rawGet(`${t.url}/styles-QRST2345.css`, 'br');
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers['cache-control'], IMMUTABLE);
  });

  test('a file without a hash in its name is cached for an hour only', async () => {
    const res = await rawGet(`${t.url}/assets/data.json`, 'br');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.equal(res.headers['content-encoding'], 'br');
  });

  test('a file under the size threshold is not compressed', async () => {
    const res = await rawGet(`${t.url}/tiny-WXYZ2345.js`, 'br');
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.headers['cache-control'], IMMUTABLE);
  });

  for (const path of ['/', '/login', '/index.html']) {
    test(`${path} is index.html, compressed, with no-cache and the CSP`, async () => {
      const res = await rawGet(`${t.url}${path}`, 'gzip, br');
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.headers['content-encoding'], 'br');
      assert.equal(brotliDecompressSync(res.body).toString('utf8'), INDEX);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self';/);
    });
  }

  for (const path of ['/ngsw-worker.js', '/ngsw.json']) {
    test(`the service worker's ${path} is always revalidated (no-cache), under the same CSP`, async () => {
      const res = await rawGet(`${t.url}${path}`, 'br');
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(String(res.headers['content-type']), path.endsWith('.js') ? /javascript/ : /json/);
      assert.match(String(res.headers['content-security-policy']), /script-src 'self';/);
    });
  }

  test('API answers are not compressed', async () => {
    const res = await rawGet(`${t.url}/api/no-such-route${'x'.repeat(2000)}`, 'gzip, br');
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-encoding'], undefined);
  });

  test('socket.io still answers its handshake uncompressed', async () => {
    const res = await request(t.url).get('/socket.io/?EIO=4&transport=polling').set('Accept-Encoding', 'gzip, br');
    assert.equal(res.status, 200);
    assert.notEqual(res.headers['content-encoding'], 'br');
  });
});
