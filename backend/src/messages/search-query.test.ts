import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../app-error.js';
import { parseSearchQuery } from './search-query.js';

function refusal(query: string): AppError {
  try {
    parseSearchQuery(query);
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error;
  }
  assert.fail(`${query} was accepted`);
}

describe('parseSearchQuery', () => {
  it('takes words and quoted phrases apart, normalised, without repeats', () => {
    assert.deepEqual(parseSearchQuery('Deploy "Release  Notes" déploy friday').terms, ['deploy', 'release notes', 'friday']);
  });

  it('keeps FTS and regex syntax as text, and a lone quote too', () => {
    assert.deepEqual(parseSearchQuery('a* NEAR(x) ^b c:d (e) AND OR NOT .* [a-z] say "hi').terms, [
      'a*', 'near(x)', '^b', 'c:d', '(e)', 'and', 'or', 'not', '.*', '[a-z]', 'say', '"hi',
    ]);
  });

  it('reads the four filters, any case', () => {
    const parsed = parseSearchQuery('deploy FROM:@Ada in:#"Ops Team" before:2026-03-01 after:2026-02-01');
    assert.deepEqual(parsed, {
      terms: ['deploy'],
      from: 'Ada',
      in: 'Ops Team',
      createdBefore: '2026-03-01T00:00:00.000Z',
      createdFrom: '2026-02-02T00:00:00.000Z',
    });
    assert.equal(parseSearchQuery('in:#ops').in, 'ops');
    assert.deepEqual(parseSearchQuery('from:@ada').terms, []);
  });

  it('refuses bad filters and queries with nothing to look for, naming the query', () => {
    for (const query of ['before:2026-02-30', 'after:26-01-01', 'from:ada', 'from:@', 'in:#', 'in:ops', 'x in:#a in:#b', '""', '\u0301']) {
      const error = refusal(query);
      assert.equal(error.code, 'validation_failed', query);
      assert.ok(error.fields?.['query'], query);
    }
  });
});
