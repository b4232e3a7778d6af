import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEARCH_SNIPPET_LENGTH } from '../../../shared/src/schemas/search.js';
import { searchText } from '../storage/search-text.js';
import { matchedRanges, snippetOf } from './search-snippet.js';

const terms = (...words: string[]) => words.map(searchText);

describe('search snippets', () => {
  it('marks every occurrence of every term as ranges of the original, accents and case folded', () => {
    const body = 'Le CAFÉ, le café et le cafe';
    assert.deepEqual(
      matchedRanges(body, terms('cafe')).map((range) => body.slice(range.start, range.end)),
      ['CAFÉ', 'café', 'cafe'],
    );
  });

  it('merges overlapping matches and spans characters that normalise to several', () => {
    assert.deepEqual(matchedRanges('deployed', terms('deploy', 'ployed')), [{ start: 0, end: 8 }]);
    const ligature = 'a ﬁle';
    assert.deepEqual(matchedRanges(ligature, terms('file')), [{ start: 2, end: 5 }]);
    const decomposed = 'cafe\u0301 ok';
    assert.deepEqual(matchedRanges(decomposed, terms('café')), [{ start: 0, end: 5 }]);
  });

  it('shows a short body whole and cuts a long one around the first match, with ellipses', () => {
    assert.deepEqual(snippetOf('hello world', terms('world')), { text: 'hello world', ranges: [{ start: 6, end: 11 }] });
    const body = `${'a'.repeat(300)} needle ${'b'.repeat(300)}`;
    const snippet = snippetOf(body, terms('needle'));
    assert.ok(snippet.text.startsWith('…') && snippet.text.endsWith('…'));
    assert.ok(snippet.text.length <= SEARCH_SNIPPET_LENGTH + 2);
    const [range] = snippet.ranges;
    assert.ok(range);
    assert.equal(snippet.text.slice(range.start, range.end), 'needle');
  });

  it('never cuts a surrogate pair', () => {
    const body = `${'😀'.repeat(200)}needle${'😀'.repeat(200)}`;
    const snippet = snippetOf(body, terms('needle'));
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(snippet.text));
    const [range] = snippet.ranges;
    assert.ok(range);
    assert.equal(snippet.text.slice(range.start, range.end), 'needle');
  });
});
