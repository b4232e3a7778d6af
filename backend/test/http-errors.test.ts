import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { startTestServer, type TestServer } from './start-test-server.js';
import { assertErrorShape } from './support/api-error-assertions.js';
import { registration, TEST_PASSWORD } from './support/rest-users.js';
import { userCount } from './support/stored-users.js';

/** A valid registration of `edge_user`; each test breaks it in one way. */
function edgeUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return registration('edge_user', { email: 'edge@example.test', ...overrides });
}

describe('HTTP edge: bad input never half-writes and always answers {error}', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ LOGIN_ATTEMPTS_PER_IP: 1000, LOGIN_ATTEMPTS_PER_USERNAME: 1000 });
    const res = await request(t.url).post('/api/auth/register').send(edgeUser({ username: 'existing_user', email: 'e@example.test' }));
    assert.equal(res.status, 201);
  });
  after(() => t.close());

  test('a 1 MB body is 413 payload_too_large', async () => {
    const before = await userCount(t.server.storage);
    const res = await request(t.url).post('/api/auth/register').send(edgeUser({ firstName: 'x'.repeat(1024 * 1024) }));
    assert.equal(res.status, 413);
    assertErrorShape(res.body, 'payload_too_large');
    assert.equal(await userCount(t.server.storage), before);
  });

  test('a body just under the limit is parsed, and refused by the schema', async () => {
    const res = await request(t.url).post('/api/auth/register').send(edgeUser({ firstName: 'x'.repeat(90 * 1024) }));
    assert.equal(res.status, 400);
    assert.equal(assertErrorShape(res.body, 'validation_failed').fields?.['firstName'], 'must be at most 64 characters');
  });

  test('a 5 kB username is 400 with fields.username', async () => {
    const res = await request(t.url).post('/api/auth/register').send(edgeUser({ username: 'a'.repeat(5000) }));
    assert.equal(res.status, 400);
    assert.equal(assertErrorShape(res.body, 'validation_failed').fields?.['username'], 'must be at most 32 characters');
  });

  for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout']) {
    test(`malformed JSON on ${path} is 400`, async () => {
      const res = await request(t.url).post(path).set('Content-Type', 'application/json').send('{"username": "a", ');
      assert.equal(res.status, 400);
      assert.match(assertErrorShape(res.body, 'validation_failed').message, /not valid JSON/);
    });
  }

  const nonObjects: Array<[string, string, string]> = [
    ['an array', '[]', 'application/json'],
    ['an array of credentials', '[{"username":"existing_user"}]', 'application/json'],
    ['a JSON string', '"existing_user"', 'application/json'],
    ['null', 'null', 'application/json'],
    ['a number', '42', 'application/json'],
    ['true', 'true', 'application/json'],
    ['plain text', 'username=existing_user', 'text/plain'],
    ['a form', 'username=existing_user&password=x', 'application/x-www-form-urlencoded'],
  ];
  for (const path of ['/api/auth/register', '/api/auth/login']) {
    for (const [name, body, type] of nonObjects) {
      test(`${name} as the body of ${path} is 400`, async () => {
        const before = await userCount(t.server.storage);
        const res = await request(t.url).post(path).set('Content-Type', type).send(body);
        assert.equal(res.status, 400);
        assertErrorShape(res.body, 'validation_failed');
        assert.equal(await userCount(t.server.storage), before);
      });
    }
    test(`no body at all on ${path} is 400`, async () => {
      const res = await request(t.url).post(path);
      assert.equal(res.status, 400);
      assertErrorShape(res.body, 'validation_failed');
    });
  }

  test('NoSQL-shaped values in register are 400 per field and store nothing', async () => {
    const before = await userCount(t.server.storage);
    const res = await request(t.url)
      .post('/api/auth/register')
      .send(edgeUser({ username: { $gt: '' }, email: { $ne: null }, gender: { $in: ['female'] } }));
    assert.equal(res.status, 400);
    const error = assertErrorShape(res.body, 'validation_failed');
    assert.equal(typeof error.fields?.['username'], 'string');
    assert.equal(typeof error.fields?.['email'], 'string');
    assert.equal(typeof error.fields?.['gender'], 'string');
    assert.equal(await userCount(t.server.storage), before);
  });

  test('NoSQL-shaped credentials in login are 400, not a login', async () => {
    const res = await request(t.url).post('/api/auth/login').send({ username: { $gt: '' }, password: { $ne: null } });
    assert.equal(res.status, 400);
    const error = assertErrorShape(res.body, 'validation_failed');
    assert.equal(typeof error.fields?.['username'], 'string');
    assert.equal(typeof error.fields?.['password'], 'string');
    assert.equal(res.headers['set-cookie'], undefined);

    const half = await request(t.url).post('/api/auth/login').send({ username: 'existing_user', password: { $ne: null } });
    assert.equal(half.status, 400);
    assert.equal(typeof assertErrorShape(half.body, 'validation_failed').fields?.['password'], 'string');
  });

  test('unknown fields are refused by name, in register and login', async () => {
    const before = await userCount(t.server.storage);
    const reg = await request(t.url).post('/api/auth/register').send(edgeUser({ role: 'admin', status: 'active', passwordHash: 'x' }));
    assert.equal(reg.status, 400);
    const fields = assertErrorShape(reg.body, 'validation_failed').fields ?? {};
    assert.equal(fields['role'], 'is not allowed');
    assert.equal(fields['status'], 'is not allowed');
    assert.equal(fields['passwordHash'], 'is not allowed');
    assert.equal(await userCount(t.server.storage), before);
    assert.equal(await t.server.storage.users.byUsername('edge_user'), null);

    const login = await request(t.url).post('/api/auth/login').send({ username: 'existing_user', password: TEST_PASSWORD, remember: true });
    assert.equal(login.status, 400);
    assert.equal(assertErrorShape(login.body, 'validation_failed').fields?.['remember'], 'is not allowed');
  });

  test('a __proto__ key is an unknown field, not a prototype', async () => {
    const body = `{"username":"proto_user","password":"${TEST_PASSWORD}","email":"p@example.test","firstName":"P","lastName":"Q","gender":"male","__proto__":{"role":"admin"}}`;
    const res = await request(t.url).post('/api/auth/register').set('Content-Type', 'application/json').send(body);
    assert.equal(res.status, 400);
    assertErrorShape(res.body, 'validation_failed');
    assert.equal(await t.server.storage.users.byUsername('proto_user'), null);
    assert.equal(({} as Record<string, unknown>)['role'], undefined, 'Object.prototype untouched');
  });

  test('wrong types are 400 per field', async () => {
    const res = await request(t.url)
      .post('/api/auth/register')
      .send(edgeUser({ username: 123456, firstName: ['A'], lastName: true, email: 5 }));
    assert.equal(res.status, 400);
    const fields = assertErrorShape(res.body, 'validation_failed').fields ?? {};
    for (const name of ['username', 'firstName', 'lastName', 'email']) assert.equal(typeof fields[name], 'string', name);
  });

  test('an unknown API route is a 404 {error}, and so is a wrong method', async () => {
    const unknown = await request(t.url).get('/api/nothing-here');
    assert.equal(unknown.status, 404);
    assertErrorShape(unknown.body, 'not_found');
    const wrongMethod = await request(t.url).get('/api/auth/login');
    assert.equal(wrongMethod.status, 404);
    assertErrorShape(wrongMethod.body, 'not_found');
  });

  test('the server is still up and the existing user can still log in', async () => {
    const health = await request(t.url).get('/healthz');
    assert.equal(health.status, 200);
    const login = await request(t.url).post('/api/auth/login').send({ username: 'existing_user', password: TEST_PASSWORD });
    assert.equal(login.status, 200);
  });
});
