import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codePointLength, containsEveryTerm, searchText, searchTextWithOffsets, trigramsOf } from './search-text.js';

describe('searchText', () => {
  it('lower-cases and drops the accents of Latin, Greek and Cyrillic letters', () => {
    assert.equal(searchText('Café ÉTÉ Ñandú'), 'cafe ete nandu');
    assert.equal(searchText('Ёлка'), 'елка');
    assert.equal(searchText('İstanbul'), 'istanbul');
    assert.equal(searchText('Straße'), 'straße');
  });

  it('folds compatibility forms: full-width letters, ligatures', () => {
    assert.equal(searchText('ＡＢＣ ﬁle'), 'abc file');
  });

  it('keeps Korean syllables and Japanese kana whole, dakuten included', () => {
    assert.equal(searchText('한국어'), '한국어');
    assert.equal(searchText('がっこう'), 'がっこう');
    assert.notEqual(searchText('が'), searchText('か'));
  });

  it('makes every run of whitespace one space and trims', () => {
    assert.equal(searchText('  a \n\t b  '), 'a b');
  });

  it('maps each unit of the result to where it came from', () => {
    const { text, offsets } = searchTextWithOffsets('Ée  😀x');
    assert.equal(text, 'ee 😀x');
    assert.deepEqual(offsets, [0, 1, 2, 4, 4, 6, 7]);
    const decomposed = searchTextWithOffsets('e\u0301t');
    assert.equal(decomposed.text, 'et');
    assert.deepEqual(decomposed.offsets, [0, 2, 3]);
  });
});

describe('trigramsOf', () => {
  it('gives the distinct runs of three code points', () => {
    assert.deepEqual(trigramsOf('abcab'), ['abc', 'bca', 'cab']);
    assert.deepEqual(trigramsOf('ab'), []);
    assert.deepEqual(trigramsOf('😀😀😀😀'), ['😀😀😀']);
    assert.equal(codePointLength('😀a'), 2);
  });

  it('containsEveryTerm needs all of them', () => {
    assert.equal(containsEveryTerm('deploy to eu', ['eu', 'deploy']), true);
    assert.equal(containsEveryTerm('deploy to eu', ['us', 'deploy']), false);
  });
});
