/**
 * Failures that express, its router, body-parser and the static file server raise about the
 * request itself answer with the right 4xx code, never `500 internal`, and log no error: a bad
 * percent-escape anywhere in the path, an unknown route outside /api, a body in an encoding the
 * server does not read. Checked with the built web app served (its catch-all route live) and
 * without it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { startTestServer, type TestServer } from './start-test-server.js';
import { assertApiError } from './support/api-error-assertions.js';
import { signUp, type SignedInUser } from './support/rest-users.js';

/** A pino logger whose entries (level numbers and messages only) the test can read. */
function recordingLogger(): { logger: pino.Logger; levels: number[] } {
  const levels: number[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) levels.push((JSON.parse(line) as { level: number }).level);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), levels };
}

const BAD_ESCAPES = ['/%E0', '/%ZZ', '/chats/%E0', '/api/chats/%E0', '/api/groups/%ZZ/join', '/api/users/%E0/block', '/api/%', '/api/admin/users/%E0', '/assets/%C0%AF.js'];

for (const withWebApp of [true, false]) {
  describe(`request-level errors ${withWebApp ? 'with' : 'without'} the web app`, () => {
    let t: TestServer;
    let staticRoot: string;
    let ada: SignedInUser;
    const log = recordingLogger();

    before(async () => {
      staticRoot = mkdtempSync(join(tmpdir(), 'chat-static-'));
      const staticDir = join(staticRoot, 'web');
      if (withWebApp) {
        mkdirSync(staticDir);
        writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
      }
      t = await startTestServer({ STATIC_DIR: staticDir, LOG_LEVEL: 'info' }, log.logger);
      ada = await signUp(t.url, 'ada');
    });
    after(async () => {
      await t.close();
      rmSync(staticRoot, { recursive: true, force: true });
    });

    for (const path of BAD_ESCAPES) {
      for (const method of ['get', 'post'] as const) {
        test(`${method.toUpperCase()} ${path} is 400 validation_failed`, async () => {
          const res = await request(t.url)[method](path).set('Authorization', `Bearer ${ada.accessToken}`);
          assertApiError(res, 400, 'validation_failed');
          const anonymous = await request(t.url)[method](path);
          assertApiError(anonymous, 400, 'validation_failed');
        });
      }
    }

    test('an unknown route outside /api is 404 {error} for anything but a page load', async () => {
      assertApiError(await request(t.url).post('/nothing-here').send({}), 404, 'not_found');
      assertApiError(await request(t.url).delete('/chats'), 404, 'not_found');
      const page = await request(t.url).get('/chats');
      if (withWebApp) assert.equal(page.status, 200);
      else assertApiError(page, 404, 'not_found');
    });

    test('a body in an encoding the server does not read is 4xx, not internal', async () => {
      const res = await request(t.url)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'x-unknown')
        .send('{"username":"ada","password":"x"}');
      assertApiError(res, 400, 'validation_failed');
      const charset = await request(t.url)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json; charset=klingon')
        .send('{"username":"ada","password":"x"}');
      assertApiError(charset, 400, 'validation_failed');
    });

    test('none of it logged an error, and the server still serves', async () => {
      assert.deepEqual(log.levels.filter((level) => level >= 50), [], 'no error-level log entries');
      assert.equal((await request(t.url).get('/healthz')).status, 200);
    });
  });
}
