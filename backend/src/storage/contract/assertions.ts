/** Shared assertions of the storage contract. */
import assert from 'node:assert/strict';
import { ConflictError, NotFoundError, StorageError } from '../errors.js';

export async function assertConflict(promise: Promise<unknown>, field: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ConflictError, `expected ConflictError(${field}), got ${String(error)}`);
    assert.equal(error.field, field);
    return true;
  });
}

export async function assertNotFound(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof NotFoundError, `expected NotFoundError, got ${String(error)}`);
    assert.ok(error instanceof StorageError);
    return true;
  });
}

export function assertIsoDate(value: string): void {
  assert.equal(typeof value, 'string');
  assert.equal(new Date(value).toISOString(), value, `${value} is an ISO-8601 UTC date`);
}

/** Plain data survives a JSON round trip unchanged: no class instances, Dates, ObjectIds or undefined fields. */
export function assertPlainData(value: unknown): void {
  assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
}

