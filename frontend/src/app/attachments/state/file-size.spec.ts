import { fileSize, fileTypeLabel } from './file-size';

describe('fileSize', () => {
  it('counts bytes under a kilobyte one by one', () => {
    expect(fileSize(0)).toBe('0 bytes');
    expect(fileSize(1)).toBe('1 byte');
    expect(fileSize(1023)).toBe('1023 bytes');
  });

  it('uses KB, MB and GB with at most one decimal', () => {
    expect(fileSize(1024)).toBe('1 KB');
    expect(fileSize(14_540)).toBe('14.2 KB');
    expect(fileSize(3 * 1024 * 1024)).toBe('3 MB');
    expect(fileSize(25 * 1024 * 1024 + 200_000)).toBe('25.2 MB');
    expect(fileSize(5 * 1024 ** 3)).toBe('5 GB');
  });

  it('says the size is unknown for nonsense', () => {
    expect(fileSize(-1)).toBe('unknown size');
    expect(fileSize(Number.NaN)).toBe('unknown size');
  });
});

describe('fileTypeLabel', () => {
  it('names common types in words', () => {
    expect(fileTypeLabel('application/pdf', 'report.bin')).toBe('PDF');
    expect(fileTypeLabel('text/plain', 'notes')).toBe('Text');
  });

  it('falls back to the extension, then the subtype', () => {
    expect(fileTypeLabel('application/octet-stream', 'backup.tar')).toBe('TAR');
    expect(fileTypeLabel('application/x-custom', 'noextension')).toBe('X-CUSTOM');
    expect(fileTypeLabel('application/octet-stream', 'noextension')).toBe('File');
  });
});
