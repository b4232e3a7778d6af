import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelayMs } from './retry-backoff.js';

describe('retry backoff', () => {
  it('doubles up to the maximum, with between half and all of it as jitter', () => {
    const options = { baseMs: 1000, maxMs: 10_000 };
    assert.equal(retryDelayMs(1, options, () => 0), 500);
    assert.equal(retryDelayMs(1, options, () => 1), 1000);
    assert.equal(retryDelayMs(3, options, () => 1), 4000);
    assert.equal(retryDelayMs(3, options, () => 0), 2000);
    assert.equal(retryDelayMs(20, options, () => 1), 10_000);
  });
});
