import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { operations } from './table.js';

const PROTOCOL = readFileSync(new URL('../../../docs/PROTOCOL.md', import.meta.url), 'utf8');

describe('the table of operations', () => {
  test('has one entry per socket event (the compiler checks that no request event of the contract lacks one)', () => {
    const events = operations.flatMap((op) => (op.event ? [op.event] : []));
    assert.equal(new Set(events).size, events.length);
  });

  test('only chat:typing may be sent without an ack', () => {
    assert.deepEqual(
      operations.filter((op) => op.ackOptional).map((op) => op.event),
      ['chat:typing'],
    );
  });

  test('the socket writes that take from the budget are the ones PROTOCOL lists', () => {
    const row = PROTOCOL.split('\n').find((line) => line.startsWith('| a **write** ('));
    assert.ok(row, 'PROTOCOL lists the writes in its table of checks');
    const documented = [...row.slice(0, row.indexOf(')')).matchAll(/`([a-z:]+)`/g)].map((match) => match[1]).sort();
    const writes = operations.filter((op) => op.write && op.event).map((op) => op.event).sort();
    assert.deepEqual(writes, documented);
  });

  test('every REST route names its path in express form under /api, with one success answer or a rule to choose', () => {
    for (const op of operations) {
      if (!op.rest) continue;
      assert.match(op.rest.path, /^\/api(\/([a-z]+|:[a-z][a-zA-Z]*))+$/, op.name);
      assert.ok(Object.keys(op.rest.success).length === 1 || op.rest.status, op.name);
    }
  });
});
