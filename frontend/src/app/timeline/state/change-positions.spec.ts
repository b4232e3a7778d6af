import { changeCursor, hasChangeGap, noteChange, reachPosition, startPosition, type ChangePositions } from './change-positions';

describe('change positions', () => {
  const chatId = 'chat-1';
  const at = (applied: number): ChangePositions => startPosition({}, chatId, applied);

  it('starts from the summary’s position once, and tracks only chats it started', () => {
    const started = at(4);
    expect(changeCursor(started, chatId)).toBe(4);
    expect(startPosition(started, chatId, 9)).toBe(started);
    expect(noteChange({}, chatId, 1)).toEqual({});
    expect(changeCursor({}, chatId)).toBeUndefined();
  });

  it('moves through changes that follow without a gap and ignores ones already applied', () => {
    const next = noteChange(noteChange(at(4), chatId, 5), chatId, 6);
    expect(next[chatId]).toEqual({ applied: 6, ahead: [] });
    expect(noteChange(next, chatId, 6)).toBe(next);
    expect(noteChange(next, chatId, 2)).toBe(next);
    expect(hasChangeGap(next, chatId)).toBeFalse();
  });

  it('sees a gap past a missed change, and closes it when the missing one arrives late', () => {
    const gap = noteChange(noteChange(at(4), chatId, 7), chatId, 6);
    expect(gap[chatId]).toEqual({ applied: 4, ahead: [6, 7] });
    expect(hasChangeGap(gap, chatId)).toBeTrue();
    expect(noteChange(gap, chatId, 7)).toBe(gap);
    const closed = noteChange(gap, chatId, 5);
    expect(closed[chatId]).toEqual({ applied: 7, ahead: [] });
  });

  it('reaches the position a sync answered for, keeping later changes past a remaining gap', () => {
    const gap = noteChange(noteChange(at(1), chatId, 5), chatId, 9);
    expect(reachPosition(gap, chatId, 4)[chatId]).toEqual({ applied: 5, ahead: [9] });
    expect(reachPosition(gap, chatId, 9)[chatId]).toEqual({ applied: 9, ahead: [] });
    expect(reachPosition(gap, chatId, 1)).toBe(gap);
  });
});
