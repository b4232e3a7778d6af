import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestEvent } from './operation.js';
import { operations } from './table.js';

/** Every request event of the contract (shared/src/socket-events.ts); the compiler keeps this list exact. */
const CONTRACT_EVENTS: Record<RequestEvent, true> = {
  'users:list': true,
  'chat:list': true,
  'chat:open': true,
  'chat:get': true,
  'chat:history': true,
  'chat:message': true,
  'chat:typing': true,
  'chat:delivered': true,
  'chat:read': true,
  'chat:delete': true,
  'group:create': true,
  'group:join': true,
  'group:search': true,
  'group:update': true,
  'group:leave': true,
  'user:block': true,
  'user:unblock': true,
  'user:blocks': true,
  sync: true,
};

describe('the table of operations', () => {
  test('has exactly one entry for every request event of the contract', () => {
    const events = operations.flatMap((op) => (op.event ? [op.event] : [])).sort();
    assert.deepEqual(events, Object.keys(CONTRACT_EVENTS).sort());
  });

  test('only chat:typing may be sent without an ack', () => {
    assert.deepEqual(
      operations.filter((op) => op.ackOptional).map((op) => op.event),
      ['chat:typing'],
    );
  });

  test('the writes that take from the budget are the ones PROTOCOL lists', () => {
    const writes = operations.filter((op) => op.write && op.event).map((op) => op.event).sort();
    assert.deepEqual(writes, ['chat:delete', 'chat:message', 'chat:open', 'group:create', 'group:join', 'group:leave', 'group:update', 'user:block', 'user:unblock']);
  });

  test('every REST route names its path in express form under /api, with one success answer or a rule to choose', () => {
    for (const op of operations) {
      if (!op.rest) continue;
      assert.match(op.rest.path, /^\/api\/[a-z/:]+$/, op.name);
      assert.ok(Object.keys(op.rest.success).length === 1 || op.rest.status, op.name);
    }
  });
});
