import { addPicked, likelyKind, pastedName, removePicked, type PickedFile } from './picked-files';

describe('picked files', () => {
  const picked = (key: string, size = 100, name = `${key}.png`): PickedFile => ({
    key,
    file: new Blob(['x']),
    name,
    size,
    mime: 'image/png',
  });

  it('adds files in the order picked', () => {
    const { files, problems } = addPicked([picked('a')], [picked('b'), picked('c')], 1000);
    expect(files.map((f) => f.key)).toEqual(['a', 'b', 'c']);
    expect(problems).toEqual([]);
  });

  it('leaves out empty and too big files, saying why', () => {
    const { files, problems } = addPicked([], [picked('empty', 0), picked('big', 2048, 'big.zip'), picked('ok')], 1024);
    expect(files.map((f) => f.key)).toEqual(['ok']);
    expect(problems).toEqual(['“empty.png” is empty.', '“big.zip” is too big to send: files can be at most 1 KB.']);
  });

  it('takes at most ten files for one message', () => {
    const many = Array.from({ length: 12 }, (_, i) => picked(`f${i}`));
    const { files, problems } = addPicked([picked('first')], many, 1000);
    expect(files.length).toBe(10);
    expect(files[0]!.key).toBe('first');
    expect(problems).toEqual(['A message can carry at most 10 files: 3 were left out.']);
  });

  it('removes one file', () => {
    expect(removePicked([picked('a'), picked('b')], 'a').map((f) => f.key)).toEqual(['b']);
  });

  it('names a pasted picture by the time it was pasted', () => {
    const now = new Date('2026-03-02T10:04:05.000Z');
    expect(pastedName('image.png', 'image/png', now)).toBe('Pasted image 2026-03-02 10.04.05.png');
    expect(pastedName('', 'image/jpeg', now)).toBe('Pasted image 2026-03-02 10.04.05.jpg');
    expect(pastedName('holiday.webp', 'image/webp', now)).toBe('holiday.webp');
  });
});

describe('likelyKind', () => {
  it('expects a thumbnail for the picture types the server reads, a card for anything else', () => {
    expect(likelyKind('image/jpeg')).toBe('image');
    expect(likelyKind('IMAGE/PNG')).toBe('image');
    expect(likelyKind('image/avif')).toBe('image');
    expect(likelyKind('image/svg+xml')).toBe('file');
    expect(likelyKind('application/pdf')).toBe('file');
  });
});
