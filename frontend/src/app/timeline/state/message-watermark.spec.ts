import { pendingMessage } from './chat-message';
import { mergeMessages } from './merge-messages';
import { advanceWatermark, hasHoleAbove, newestStoredSeq, watermarkMessage } from './message-watermark';
import { aMessage } from '../../core/testing/chat-fixtures';

describe('message watermark', () => {
  const chat = 'chat-1';
  const held = (...seqs: number[]) => mergeMessages([], seqs.map((seq) => aMessage(chat, seq, 'u1')));

  it('advances through the messages that follow it without a gap and stops at the first hole', () => {
    expect(advanceWatermark(5, held(3, 4, 5, 6, 7, 9, 10))).toBe(7);
    expect(advanceWatermark(0, held(1, 2))).toBe(2);
    expect(advanceWatermark(0, held(2, 3))).toBe(0);
    expect(advanceWatermark(8, held(5, 6))).toBe(8);
  });

  it('ignores messages still waiting for the server', () => {
    const list = mergeMessages([pendingMessage(chat, 'me', 'c-1', 'hi', new Date())], [aMessage(chat, 4, 'u1')]);
    expect(advanceWatermark(3, list)).toBe(4);
    expect(hasHoleAbove(4, list)).toBeFalse();
    expect(newestStoredSeq(list)).toBe(4);
  });

  it('sees a hole when something is held above the watermark', () => {
    expect(hasHoleAbove(5, held(4, 5, 7))).toBeTrue();
    expect(hasHoleAbove(7, held(4, 5, 7))).toBeFalse();
    expect(hasHoleAbove(0, [])).toBeFalse();
  });

  it('resumes from the message at the watermark, or the newest held below it', () => {
    expect(watermarkMessage(5, held(4, 5, 7))?.id).toBe(`${chat}-m5`);
    expect(watermarkMessage(6, held(4, 5, 7))?.id).toBe(`${chat}-m5`);
    expect(watermarkMessage(0, held(3))).toBeNull();
    expect(watermarkMessage(2, held(3))).toBeNull();
  });

  it('knows the newest stored seq', () => {
    expect(newestStoredSeq(held(2, 9, 4))).toBe(9);
    expect(newestStoredSeq([])).toBe(0);
  });
});
