import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_FILE_NAME_LENGTH } from '../../../shared/src/schemas/attachments.js';
import { cleanFileName, contentDisposition } from './file-name.js';

describe('cleanFileName', () => {
  it('keeps an ordinary name', () => {
    assert.equal(cleanFileName('Holiday photo 2024.jpg'), 'Holiday photo 2024.jpg');
    assert.equal(cleanFileName('Ünïcödé 写真.png'), 'Ünïcödé 写真.png');
  });

  it('drops folders and path traversal, POSIX and Windows', () => {
    assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
    assert.equal(cleanFileName('..\\..\\Windows\\system32\\cmd.exe'), 'cmd.exe');
    assert.equal(cleanFileName('..'), 'file');
    assert.equal(cleanFileName('/'), 'file');
  });

  it('removes NUL and control characters, RTL overrides and invisible characters', () => {
    assert.equal(cleanFileName('report\u0000.pdf'), 'report.pdf');
    assert.equal(cleanFileName('invoice\u202Efdp.exe'), 'invoicefdp.exe');
    assert.equal(cleanFileName('a\u200Bb\u2066c\r\n.txt'), 'abc.txt');
  });

  it('replaces reserved characters, trims dots and spaces, never answers empty', () => {
    assert.equal(cleanFileName('a:b*c?.txt'), 'a_b_c_.txt');
    assert.equal(cleanFileName('  .hidden. '), 'hidden');
    assert.equal(cleanFileName(''), 'file');
    assert.equal(cleanFileName(undefined), 'file');
    assert.equal(cleanFileName('\u202E'), 'file');
  });

  it('shortens a very long name and keeps its extension', () => {
    const cleaned = cleanFileName(`${'x'.repeat(5000)}.jpeg`);
    assert.equal(Array.from(cleaned).length, MAX_FILE_NAME_LENGTH);
    assert.ok(cleaned.endsWith('.jpeg'));
    const emoji = cleanFileName(`${'😀'.repeat(300)}.txt`);
    assert.equal(Array.from(emoji).length, MAX_FILE_NAME_LENGTH, 'counted in code points, no emoji cut in half');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    assert.equal(contentDisposition('attachment', 'résumé "final".pdf'), `attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`);
    assert.equal(contentDisposition('inline', "it's.png"), `inline; filename="it's.png"; filename*=UTF-8''it%27s.png`);
  });
});
