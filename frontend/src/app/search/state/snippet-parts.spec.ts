import { snippetParts } from './snippet-parts';

describe('snippet parts', () => {
  it('cuts the text into plain and marked runs at the ranges', () => {
    expect(snippetParts({ text: 'we redeployed it, deploy again', ranges: [{ start: 5, end: 11 }, { start: 18, end: 24 }] })).toEqual([
      { text: 'we re', marked: false },
      { text: 'deploy', marked: true },
      { text: 'ed it, ', marked: false },
      { text: 'deploy', marked: true },
      { text: ' again', marked: false },
    ]);
  });

  it('marks a match at either end without empty runs', () => {
    expect(snippetParts({ text: 'deploy', ranges: [{ start: 0, end: 6 }] })).toEqual([{ text: 'deploy', marked: true }]);
  });

  it('keeps text that looks like markup as text', () => {
    expect(snippetParts({ text: '<b>x</b> deploy', ranges: [{ start: 9, end: 15 }] })).toEqual([
      { text: '<b>x</b> ', marked: false },
      { text: 'deploy', marked: true },
    ]);
  });

  it('clips ranges outside the text, drops empty ones and starts an overlapping one where the last ended, making one run', () => {
    expect(
      snippetParts({ text: 'abcdef', ranges: [{ start: 4, end: 99 }, { start: 1, end: 3 }, { start: 2, end: 5 }, { start: 3, end: 3 }] }),
    ).toEqual([
      { text: 'a', marked: false },
      { text: 'bcdef', marked: true },
    ]);
  });

  it('is the whole text, unmarked, without ranges', () => {
    expect(snippetParts({ text: 'hello', ranges: [] })).toEqual([{ text: 'hello', marked: false }]);
  });
});
