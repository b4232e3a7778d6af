import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idSchema } from '../../../shared/src/schemas/common.js';
import { newId } from './ids.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function decodeTime(id: string): number {
  let time = 0;
  for (const char of id.slice(0, 10)) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}

test('ids are ULIDs that the shared id schema accepts, stamped with the current time', () => {
  const before = Date.now();
  const id = newId();
  const after = Date.now();
  assert.equal(idSchema.safeParse(id).success, true, id);
  assert.ok(decodeTime(id) >= before && decodeTime(id) <= after, `${decodeTime(id)} not within ${before}..${after}`);
});

test('ids made in a burst are unique and strictly increasing, within a millisecond too', () => {
  const ids = Array.from({ length: 50_000 }, () => newId());
  assert.equal(new Set(ids).size, ids.length);
  for (let index = 1; index < ids.length; index += 1) assert.ok(ids[index - 1]! < ids[index]!, `${ids[index - 1]} >= ${ids[index]}`);
  const sameMillisecond = ids.filter((id, index) => index > 0 && id.slice(0, 10) === ids[index - 1]!.slice(0, 10));
  assert.ok(sameMillisecond.length > 0, 'expected several ids within one millisecond');
});

test('the random part differs between milliseconds', async () => {
  const first = newId();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const second = newId();
  assert.notEqual(first.slice(0, 10), second.slice(0, 10));
  assert.notEqual(first.slice(10), second.slice(10));
});
