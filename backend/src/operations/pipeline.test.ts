import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import type { PasswordRequester } from '../accounts/password-hasher.js';
import { AppError } from '../app-error.js';
import type { WriteBudget } from '../rate-limits/write-budget.js';
import { StoreUnavailableError } from '../storage/errors.js';
import { operation, type Access, type Principal, type RateClass } from './operation.js';
import { runOperation, type Call, type Pipeline } from './pipeline.js';
import type { UseCaseDeps } from './use-case-deps.js';

/** What happened, in order: the schema's parse, the write budget, the use case. */
type Step = 'parse' | 'budget' | 'run';

function harness(options: { access?: Access; limits?: RateClass[]; budgetSpent?: boolean; run?: () => Promise<unknown> } = {}) {
  const steps: Step[] = [];
  const requesters: PasswordRequester[] = [];
  const input = z.strictObject({ text: z.string() }).superRefine(() => {
    steps.push('parse');
  });
  const deps = {
    passwords: { as: (requester: PasswordRequester) => (requesters.push(requester), 'bound hasher') },
    roomPasswords: { as: () => 'bound room passwords' },
  } as unknown as UseCaseDeps;
  const writeBudget = {
    take: async () => {
      steps.push('budget');
      if (options.budgetSpent) throw new AppError('rate_limited', 'Too many changes', undefined, 2);
    },
  } as unknown as WriteBudget;
  let seenDeps: UseCaseDeps | null = null;
  const op = operation({
    name: 'testOperation',
    access: options.access ?? 'user',
    limits: options.limits ?? ['write'],
    input,
    run: async (runDeps, _caller, request) => {
      steps.push('run');
      seenDeps = runDeps;
      return options.run ? options.run() : { echoed: request.text };
    },
  });
  const pipeline: Pipeline = { deps, writeBudget };
  return { op, pipeline, steps, requesters, deps, seenDeps: () => seenDeps };
}

const signedIn: Principal = { actor: { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } };
const open = (admitted = true): Call => ({ principal: signedIn, admission: { take: () => admitted }, objectInputOnly: true });

describe('the request pipeline', () => {
  test('runs parse, the write budget and the use case in that order, and answers the ack shape', async () => {
    const h = harness();
    const outcome = await runOperation(h.pipeline, h.op, open(), { text: 'hi' });
    assert.deepEqual(outcome, { ok: true, data: { echoed: 'hi' } });
    assert.deepEqual(h.steps, ['parse', 'budget', 'run']);
  });

  test('a rate-limited request is refused before its input is parsed', async () => {
    const h = harness();
    const outcome = await runOperation(h.pipeline, h.op, open(false), { text: 'hi', extra: true });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.error.code, 'rate_limited');
    assert.deepEqual(h.steps, []);
  });

  test('a payload that is not a plain object is refused before the schema sees it', async () => {
    for (const payload of [[1], 'text', 7, null, new Date()]) {
      const h = harness();
      const outcome = await runOperation(h.pipeline, h.op, open(), payload);
      assert.equal(!outcome.ok && outcome.error.code, 'validation_failed');
      assert.equal(!outcome.ok && outcome.error.message, 'The payload must be an object');
      assert.deepEqual(h.steps, []);
    }
  });

  test('invalid input is refused before the budget is taken or the use case runs', async () => {
    const h = harness();
    const outcome = await runOperation(h.pipeline, h.op, open(), { text: 5, __proto__x: 1 });
    assert.equal(!outcome.ok && outcome.error.code, 'validation_failed');
    assert.deepEqual({ ...(!outcome.ok && outcome.error.fields) }, { text: 'Invalid input: expected string, received number', __proto__x: 'is not allowed' });
    assert.deepEqual(h.steps.filter((step) => step !== 'parse'), []);
  });

  test('an unauthorized caller is refused after parsing and before the budget or the use case', async () => {
    for (const [access, principal] of [
      ['user', { admin: { via: 'api-key' } }],
      ['admin', signedIn],
      ['public', signedIn],
    ] as Array<[Access, Principal]>) {
      const h = harness({ access, limits: [] });
      const outcome = await runOperation(h.pipeline, h.op, { principal }, { text: 'hi' });
      assert.equal(!outcome.ok && outcome.error.code, 'unauthenticated', access);
      assert.deepEqual(h.steps, ['parse'], access);
    }
  });

  test('a spent write budget refuses the request before the use case runs', async () => {
    const h = harness({ budgetSpent: true });
    const outcome = await runOperation(h.pipeline, h.op, open(), { text: 'hi' });
    assert.equal(!outcome.ok && outcome.error.code, 'rate_limited');
    assert.equal(!outcome.ok && outcome.error.retryAfterS, 2);
    assert.deepEqual(h.steps, ['parse', 'budget']);
  });

  test('only write operations take from the budget', async () => {
    const h = harness({ limits: [] });
    await runOperation(h.pipeline, h.op, open(), { text: 'hi' });
    assert.deepEqual(h.steps, ['parse', 'run']);
  });

  test('password work is bound to the caller as its bcrypt requester; other operations get the shared deps', async () => {
    const cases: Array<[Access, RateClass, Principal, PasswordRequester]> = [
      ['user', 'password-work', signedIn, { key: 'user:01ARZ3NDEKTSV4RRFFQ69G5FAV' }],
      ['public', 'password-work', { origin: { ip: '10.0.0.7' } }, { key: 'ip:10.0.0.7' }],
      ['public', 'sign-in', { origin: { ip: '10.0.0.7' } }, { key: 'ip:10.0.0.7', priority: true }],
      ['admin', 'password-work', { admin: { via: 'api-key' } }, { key: 'admin:api-key', trusted: true }],
      ['admin', 'password-work', { admin: { via: 'user', userId: 'A1' } }, { key: 'admin:A1', trusted: true }],
    ];
    for (const [access, limit, principal, requester] of cases) {
      const h = harness({ access, limits: [limit] });
      const outcome = await runOperation(h.pipeline, h.op, { principal }, { text: 'hi' });
      assert.equal(outcome.ok, true);
      assert.deepEqual(h.requesters, [requester]);
      assert.equal(h.seenDeps()?.passwords, 'bound hasher' as never);
      assert.equal(h.seenDeps()?.roomPasswords, 'bound room passwords' as never);
    }
    const plain = harness({ limits: [] });
    await runOperation(plain.pipeline, plain.op, open(), { text: 'hi' });
    assert.equal(plain.seenDeps(), plain.deps);
  });

  test('an operation this server does not offer is refused before anything else', async () => {
    const h = harness();
    const offered = { ...h.op, available: () => { throw new AppError('not_found', 'Not offered here'); } };
    const outcome = await runOperation(h.pipeline, offered, open(false), 'not even an object');
    assert.equal(!outcome.ok && outcome.error.code, 'not_found');
    assert.deepEqual(h.steps, []);
  });

  test('whatever the use case throws is mapped to one AppError, the cause kept for the log', async () => {
    const storeDown = new StoreUnavailableError('connection refused');
    const h1 = harness({ run: () => Promise.reject(storeDown) });
    const down = await runOperation(h1.pipeline, h1.op, open(), { text: 'hi' });
    assert.equal(!down.ok && down.error.code, 'store_unavailable');
    assert.equal(!down.ok && down.cause, storeDown);

    const bug = new TypeError('x is undefined');
    const h2 = harness({ run: () => Promise.reject(bug) });
    const failed = await runOperation(h2.pipeline, h2.op, open(), { text: 'hi' });
    assert.equal(!failed.ok && failed.error.code, 'internal');
    assert.equal(!failed.ok && failed.error.message, 'Something went wrong on our side');
    assert.equal(!failed.ok && failed.cause, bug);
  });
});
