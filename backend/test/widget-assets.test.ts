/**
 * The chat widget's files for host pages on other origins: the entry under its stable name,
 * revalidated on every load; the hashed chunks cached for good; CORS and
 * Cross-Origin-Resource-Policy for the CORS_ORIGINS' pages; other origins refused; unknown names 404.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestServer, type TestServer } from './start-test-server.js';

const HOST = 'http://host.example:8080';
const ENTRY = `import "./chunk-ABCD2345.js";\nexport const widget = ${JSON.stringify('x'.repeat(3000))};\n`;

describe('the widget files', () => {
  let t: TestServer;
  let widgetRoot: string;

  before(async () => {
    widgetRoot = mkdtempSync(join(tmpdir(), 'chat-widget-'));
    writeFileSync(join(widgetRoot, 'main.js'), ENTRY);
    writeFileSync(join(widgetRoot, 'chunk-ABCD2345.js'), 'export {};\n');
    t = await startTestServer({ WIDGET_DIR: widgetRoot, CORS_ORIGINS: [HOST] });
  });
  after(async () => {
    await t.close();
    rmSync(widgetRoot, { recursive: true, force: true });
  });

  test('the entry is served as parley-chat.js, no-cache with an ETag, usable by an allowed origin', async () => {
    const res = await request(t.url).get('/widget/parley-chat.js').set('Origin', HOST);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.ok(res.headers.etag);
    assert.equal(res.headers['access-control-allow-origin'], HOST);
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(res.text, ENTRY);
  });

  test('a revalidation with the ETag gets 304', async () => {
    const first = await request(t.url).get('/widget/parley-chat.js').set('Origin', HOST);
    const again = await request(t.url).get('/widget/parley-chat.js').set('Origin', HOST).set('If-None-Match', String(first.headers.etag));
    assert.equal(again.status, 304);
  });

  test('a hashed chunk is immutable', async () => {
    const res = await request(t.url).get('/widget/chunk-ABCD2345.js').set('Origin', HOST);
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.headers['access-control-allow-origin'], HOST);
  });

  test('a page on an origin not in CORS_ORIGINS is refused', async () => {
    const res = await request(t.url).get('/widget/parley-chat.js').set('Origin', 'http://evil.example');
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
  });

  test('an unknown widget file is 404, not the web app', async () => {
    const res = await request(t.url).get('/widget/nothing.js');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });
});

describe('the widget files when none are built', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ WIDGET_DIR: join(tmpdir(), 'chat-widget-missing-dir') });
  });
  after(() => t.close());

  test('/widget/parley-chat.js is 404', async () => {
    const res = await request(t.url).get('/widget/parley-chat.js');
    assert.equal(res.status, 404);
  });
});
