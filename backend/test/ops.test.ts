import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { CheckedClient, expressRoutes, OpenApiValidator } from './support/openapi-validator.js';
import { startRedisServer, type RunningRedis } from './support/redis-server.js';
import { call, closeAll, connectEach, failure, nextEvent, ok, textMessage } from './support/socket-client.js';
import { createUsers } from './support/stored-users.js';
import { sleep } from './support/waiting.js';

const METRIC_NAMES = [
  'chat_connected_sockets',
  'chat_authenticated_users',
  'chat_messages_stored_total',
  'chat_messages_fanned_out_total',
  'chat_socket_ack_latency_seconds',
  'chat_store_query_latency_seconds',
  'chat_rate_limited_events_total',
  'chat_rejected_events_total',
  'chat_event_loop_delay_seconds',
];

describe('health and readiness', () => {
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    t = await startTestServer();
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('/healthz answers 200 and is not cached', async () => {
    const res = await api.get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('/readyz answers 200 when the store answers', async () => {
    const res = await api.get('/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok', checks: { store: 'ok' } });
  });

  test('the readiness registry takes checks from other parts, and names the one that fails', async () => {
    let healthy = true;
    t.server.observability.readiness.add('search-index', async () => {
      if (!healthy) throw new Error('index is rebuilding');
    });
    assert.throws(() => t.server.observability.readiness.add('search-index', async () => {}), /already registered/);
    assert.equal((await api.get('/readyz')).status, 200);
    healthy = false;
    const res = await api.get('/readyz');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { status: 'unavailable', checks: { store: 'ok', 'search-index': 'index is rebuilding' } });
  });
});

describe('readiness with Redis', () => {
  let redis: RunningRedis;
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    // Fails (does not skip) when redis-server is not installed.
    redis = await startRedisServer();
    t = await startTestServer({ REDIS_URL: redis.url });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(async () => {
    await t.close();
    await redis.stop();
  });

  test('200 while Redis answers, 503 naming redis once it is stopped', async () => {
    const ready = await api.get('/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(ready.body, { status: 'ok', checks: { store: 'ok', redis: 'ok' } });

    assert.ok(redis.pid, 'the test started its own redis-server');
    await redis.stop();

    const started = Date.now();
    const down = await api.get('/readyz');
    assert.ok(Date.now() - started < 3000, 'the check gives up quickly');
    assert.equal(down.status, 503);
    assert.equal(down.body.status, 'unavailable');
    assert.equal(down.body.checks.store, 'ok');
    assert.equal(typeof down.body.checks.redis, 'string');
    assert.notEqual(down.body.checks.redis, 'ok');
    assert.ok(down.body.checks.redis.length > 0);
    assert.equal(down.body.checks.redis.includes(redis.url), false, 'the reason does not leak the connection string');

    assert.equal((await api.get('/healthz')).status, 200, 'liveness does not depend on Redis');
  });
});

describe('readiness when the store is gone', () => {
  test('503 naming the store', async () => {
    const t = await startTestServer();
    try {
      const api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
      await t.server.storage.close();
      const res = await api.get('/readyz');
      assert.equal(res.status, 503);
      assert.equal(res.body.status, 'unavailable');
      assert.notEqual(res.body.checks.store, 'ok');
    } finally {
      await t.close();
    }
  });
});

describe('metrics', () => {
  let t: TestServer;
  let api: CheckedClient;
  before(async () => {
    t = await startTestServer({ SOCKET_EVENTS_BURST: 3, SOCKET_EVENTS_PER_SECOND: 1 });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
  });
  after(() => t.close());

  test('/metrics exposes every instrument in the Prometheus text format', async () => {
    const res = await api.get('/metrics');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    for (const name of METRIC_NAMES) {
      assert.match(res.text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is missing`);
    }
    assert.match(res.text, /^process_cpu_user_seconds_total /m, 'process metrics are included');
  });

  test('a long event-loop turn shows in the event-loop delay histogram', async () => {
    const bucket = (text: string, le: string) => sample(text, `chat_event_loop_delay_seconds_bucket{le="${le}"}`);
    await api.get('/metrics'); // starts a fresh interval
    const blockedUntil = performance.now() + 150;
    while (performance.now() < blockedUntil) {
      // One turn of 150 ms: the delay monitor's next sample is at least 140 ms late.
    }
    await sleep(100);
    const text = (await api.get('/metrics')).text;
    assert.ok(bucket(text, '+Inf') - bucket(text, '0.1') >= 1, 'a sample later than 100 ms');
    assert.ok(sample(text, 'chat_event_loop_delay_seconds_count') >= 1);
  });

  test('store calls are timed, per operation', async () => {
    const login = await api.post('/api/auth/login', { body: { username: 'nobody-here', password: 'whatever-it-is-1' } });
    assert.equal(login.status, 401);
    const res = await api.get('/metrics');
    const count = /^chat_store_query_latency_seconds_count\{operation="users\.byUsername"\} (\d+)/m.exec(res.text);
    assert.ok(count, 'users.byUsername was not timed');
    assert.ok(Number(count[1]) >= 1);
  });

  test('socket traffic feeds the socket metrics', async () => {
    const [ada, ben] = await createUsers(t, 'metric-ada', 'metric-ben');
    const [adaSocket, adaSecondTab, benSocket] = await connectEach(t, ada, ada, ben);
    try {
      const before = await api.get('/metrics');
      assert.equal(sample(before.text, 'chat_connected_sockets'), 3);
      assert.equal(sample(before.text, 'chat_authenticated_users'), 2);

      const { chat } = await ok(adaSocket, 'chat:open', { userId: ben.user.id });
      const arrived = nextEvent(benSocket, 'chat:message');
      await ok(adaSocket, 'chat:message', textMessage(chat.id, 'counted'));
      await arrived;
      assert.equal(await failure(adaSocket, 'chat:message', textMessage(chat.id, '   ')), 'validation_failed');
      let limited = 0;
      for (let i = 0; i < 10 && limited === 0; i += 1) {
        const ack = await call(benSocket, 'chat:list', {});
        if (!ack.ok && ack.error.code === 'rate_limited') limited += 1;
      }
      assert.equal(limited, 1, 'the burst of 3 events must run out');

      const text = (await api.get('/metrics')).text;
      assert.equal(sample(text, 'chat_messages_stored_total{kind="text"}'), 1);
      // Ben's socket and Ada's second tab receive it; the sending socket has it in its ack.
      assert.equal(sample(text, 'chat_messages_fanned_out_total'), 2);
      assert.equal(sample(text, 'chat_socket_ack_latency_seconds_count{event="chat:message",outcome="ok"}'), 1);
      assert.equal(sample(text, 'chat_socket_ack_latency_seconds_count{event="chat:message",outcome="error"}'), 1);
      assert.equal(sample(text, 'chat_rejected_events_total{event="chat:message",code="validation_failed"}'), 1);
      assert.equal(sample(text, 'chat_rate_limited_events_total{event="chat:list"}'), 1);
    } finally {
      closeAll(adaSocket, adaSecondTab, benSocket);
    }
    await sleep(200);
    const after = (await api.get('/metrics')).text;
    assert.equal(sample(after, 'chat_connected_sockets'), 0);
    assert.equal(sample(after, 'chat_authenticated_users'), 0);
  });
});

/** The value of one sample line (`name{labels} value`) in a Prometheus exposition. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  assert.ok(line, `${series} is not in the metrics`);
  return Number(line.slice(series.length + 1));
}

describe('the OpenAPI document', () => {
  let t: TestServer;
  let validator: OpenApiValidator;
  before(async () => {
    t = await startTestServer();
    validator = await OpenApiValidator.load(t.url);
  });
  after(() => t.close());

  test('is OpenAPI 3.1 and every operation has responses', () => {
    const doc = validator.document as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, { responses?: Record<string, unknown>; operationId?: string }>> };
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.ok(doc.info.title);
    assert.ok(doc.info.version);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      assert.ok(path.startsWith('/'), path);
      const operations = Object.entries(item);
      assert.ok(operations.length > 0, `${path} has no operations`);
      for (const [method, operation] of operations) {
        assert.ok(['get', 'post', 'put', 'patch', 'delete'].includes(method), `${path}: ${method}`);
        assert.ok(operation.responses && Object.keys(operation.responses).length > 0, `${method} ${path} has no responses`);
        for (const status of Object.keys(operation.responses)) assert.match(status, /^[1-5]\d\d$/, `${method} ${path}: ${status}`);
        assert.ok(operation.operationId && !operationIds.has(operation.operationId), `${method} ${path}: operationId`);
        operationIds.add(operation.operationId);
        const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const declared = ((operation as { parameters?: Array<{ in: string; name: string }> }).parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name);
        assert.deepEqual(declared, params, `${method} ${path}: path parameters`);
      }
    }
  });

  test('every schema in it compiles as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false });
    const doc = validator.document as { components: { schemas: Record<string, object> } };
    ajv.addSchema(doc, 'doc.json');
    for (const name of Object.keys(doc.components.schemas)) {
      assert.doesNotThrow(() => ajv.compile({ $ref: `doc.json#/components/schemas/${name}` }), name);
    }
  });

  test('documents every route the server has, and nothing it lacks', () => {
    const routes = expressRoutes(t.server.httpApp);
    assert.ok(routes.length > 20, `found only ${routes.length} routes`);
    const documented = new Set(validator.operations());
    assert.deepEqual(routes.filter((route) => !documented.has(route)), [], 'routes missing from the document');
    const served = new Set(routes);
    assert.deepEqual([...documented].filter((operation) => !served.has(operation)), [], 'documented routes the server lacks');
  });

  test('the validator refuses an answer that breaks the document', () => {
    assert.throws(() => validator.check('get', '/healthz', { status: 200, headers: { 'content-type': 'application/json' }, body: { status: 'fine' } }), /does not match/);
    assert.throws(() => validator.check('get', '/healthz', { status: 418, headers: {}, body: {} }), /does not list/);
    assert.throws(() => validator.check('get', '/api/nowhere', { status: 200, headers: {}, body: {} }), /not in the OpenAPI document/);
    assert.throws(
      () => validator.check('get', '/api/users/me', { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 'x', passwordHash: 'leak' } }),
      /does not match/,
    );
  });
});
