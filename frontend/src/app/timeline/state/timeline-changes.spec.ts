import type { Message } from '@shared';
import { aMessage } from '../../core/testing/chat-fixtures';
import { pendingMessage } from './chat-message';
import { applyChangedMessage, changeLocally, heldMessage, localChangeAcked, localChangeRefused } from './timeline-changes';
import { addPending, mergeAround, openTimeline, storeMessages, syncCursor, timelineOf, type Timelines } from './timelines';
import { hasHoleAbove } from './message-watermark';

describe('timelines and message changes', () => {
  const chatId = 'chat-1';
  const m = (seq: number, overrides: Partial<Message> = {}) => aMessage(chatId, seq, 'user-ana', overrides);
  const opened = (...seqs: number[]): Timelines => openTimeline({}, chatId, { messages: seqs.map((seq) => m(seq)), hasMore: true });
  const seqs = (timelines: Timelines) => timelineOf(timelines, chatId).list.map((x) => x.seq);
  const body = (timelines: Timelines, seq: number) => heldMessage(timelines, chatId, `${chatId}-m${seq}`)?.body;

  it('replaces a held message with a newer state and ignores a stale or repeated one', () => {
    const timelines = opened(1, 2);
    const edited = applyChangedMessage(timelines, m(2, { body: 'edited', changeSeq: 3 }));
    expect(body(edited, 2)).toBe('edited');
    expect(applyChangedMessage(edited, m(2, { body: 'older', changeSeq: 2 }))).toBe(edited);
    expect(applyChangedMessage(edited, m(2, { body: 'edited', changeSeq: 3 }))).toBe(edited);
    expect(applyChangedMessage(edited, m(9, { changeSeq: 4 }))).toBe(edited);
    expect(applyChangedMessage({}, m(2, { changeSeq: 4 }))).toEqual({});
  });

  it('takes a newer state of a held message from a page or a sync answer, without counting it as arrived', () => {
    const { timelines, arrived } = storeMessages(opened(1, 2), chatId, [m(2, { body: 'edited', changeSeq: 1 }), m(3)]);
    expect(arrived.map((x) => x.seq)).toEqual([3]);
    expect(body(timelines, 2)).toBe('edited');
    const again = storeMessages(timelines, chatId, [m(2, { body: 'stale', changeSeq: 0 })]);
    expect(again.timelines).toBe(timelines);
  });

  it('shows our change at once, and settles it when acked or refused', () => {
    const change = { id: 'c1', kind: 'edit', body: 'better', at: '2026-03-02T12:00:00.000Z' } as const;
    const pending = changeLocally(opened(1, 2), chatId, `${chatId}-m2`, change);
    expect(heldMessage(pending, chatId, `${chatId}-m2`)).toEqual(jasmine.objectContaining({ body: 'better', pendingChange: 'edit' }));

    const acked = localChangeAcked(pending, chatId, 'c1', m(2, { body: 'better', changeSeq: 7 }));
    expect(heldMessage(acked, chatId, `${chatId}-m2`)!.pendingChange).toBeUndefined();
    expect(body(acked, 2)).toBe('better');

    const refused = localChangeRefused(pending, chatId, `${chatId}-m2`, 'c1', 'Too late to edit.');
    expect(heldMessage(refused, chatId, `${chatId}-m2`)).toEqual(jasmine.objectContaining({ body: 'message 2', changeError: 'Too late to edit.' }));
  });

  it('leaves our pending messages alone', () => {
    const pending = pendingMessage(chatId, 'user-ana', 'client-1', 'hi', new Date('2026-03-02T12:00:00Z'));
    const timelines = addPending(opened(1), pending);
    const change = { id: 'c1', kind: 'delete', by: 'sender', at: '2026-03-02T12:00:00.000Z' } as const;
    expect(changeLocally(timelines, chatId, pending.id, change)).toBe(timelines);
  });

  describe('a page around a message', () => {
    it('joins what is held when it reaches it', () => {
      const around = mergeAround(opened(5, 6), chatId, { messages: [m(3), m(4), m(5)], hasMore: true, hasNewer: true });
      expect(seqs(around)).toEqual([3, 4, 5, 6]);
      expect(around[chatId]!.watermark).toBe(6);
      expect(around[chatId]!.hasMore).toBeTrue();
    });

    it('leaves a hole below the newer messages held when it ends before them', () => {
      const held = opened(20, 21);
      const around = mergeAround(held, chatId, { messages: [m(4), m(5), m(6)], hasMore: false, hasNewer: true });
      const timeline = around[chatId]!;
      expect(seqs(around)).toEqual([4, 5, 6, 20, 21]);
      expect(timeline.watermark).toBe(6);
      expect(timeline.hasMore).toBeFalse();
      expect(hasHoleAbove(timeline.watermark, timeline.list)).toBeTrue();
      expect(syncCursor(timeline)).toBe(`${chatId}-m6`);
    });

    it('keeps the held order and watermark for a window inside what is held or above a hole', () => {
      const withHole = storeMessages(opened(1, 2), chatId, [m(9)]).timelines;
      const around = mergeAround(withHole, chatId, { messages: [m(5), m(6)], hasMore: true, hasNewer: true });
      expect(seqs(around)).toEqual([1, 2, 5, 6, 9]);
      expect(around[chatId]!.watermark).toBe(2);
      expect(around[chatId]!.hasMore).toBeTrue();
    });

    it('does nothing for a chat not loaded, or an empty page', () => {
      expect(mergeAround({}, chatId, { messages: [m(1)], hasMore: false })).toEqual({});
      const held = opened(1);
      expect(mergeAround(held, chatId, { messages: [], hasMore: false })).toBe(held);
    });
  });
});
