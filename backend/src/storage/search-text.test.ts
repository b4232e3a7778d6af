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

  it('gives the same text as searchTextWithOffsets, whatever the mix of scripts, marks and spaces', () => {
    const samples = [
      'Déploiement du SERVEUR vendredi\u00a0!  ',
      '\t\nＤｅｐｌｏｙ ﬁx\u3000东京都 한국어 がっこう Ёлка İ',
      'a ¨ b¨ ¨',
      '\u0301start with a mark and end with one\u0301',
      '\u000b\u000c\r\u001c\u001f\u0085\u2028 x \ufeff',
      '⑴ ㎏ Å ǅ ẞ ß',
    ];
    for (const sample of samples) assert.equal(searchText(sample), searchTextWithOffsets(sample).text, JSON.stringify(sample));
    // Every code point below U+3100 alone and between letters.
    for (let code = 0; code < 0x3100; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      for (const sample of [char, `a${char}b`, ` ${char} `]) assert.equal(searchText(sample), searchTextWithOffsets(sample).text, `U+${code.toString(16)}`);
    }
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
