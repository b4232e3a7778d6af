import { aMessage } from '../../core/testing/chat-fixtures';
import { pendingMessage } from './chat-message';
import {
  absorbLatestPage,
  addPending,
  discardFailed,
  dropUnopened,
  markFailed,
  openTimeline,
  prependOlder,
  raiseWatermark,
  setPendingUploads,
  storeMessages,
  syncCursor,
  timelineOf,
  type Timelines,
} from './timelines';

describe('timelines', () => {
  const chatId = 'chat-1';
  const m = (seq: number) => aMessage(chatId, seq, 'user-bruno');
  const opened = (...seqs: number[]): Timelines =>
    openTimeline({}, chatId, { messages: seqs.map(m), hasMore: false });
  const seqs = (timelines: Timelines) => timelineOf(timelines, chatId).list.map((x) => x.seq);
  const pending = pendingMessage(chatId, 'user-ana', 'client-1', 'hi', new Date('2026-03-02T12:00:00Z'));

  it('starts a chat nobody opened yet as an unloaded buffer that expects older messages', () => {
    expect(timelineOf({}, chatId)).toEqual({ list: [], hasMore: true, loaded: false, watermark: 0 });
  });

  it('opens a chat on its latest page with the watermark at the page’s newest message', () => {
    const timeline = opened(1, 2, 3)[chatId]!;
    expect(timeline.loaded).toBeTrue();
    expect(timeline.watermark).toBe(3);
    expect(timeline.hasMore).toBeFalse();
  });

  it('keeps live messages buffered before opening unless they are older than the page', () => {
    const buffered = storeMessages({}, chatId, [m(2), m(9)]).timelines;
    const timelines = openTimeline(buffered, chatId, { messages: [m(8), m(9)], hasMore: true });
    expect(seqs(timelines)).toEqual([8, 9]);
  });

  it('stores only what is new, in order, and moves the watermark up through it', () => {
    const first = storeMessages(opened(1, 2), chatId, [m(4), m(3), m(2)]);
    expect(first.arrived.map((x) => x.seq)).toEqual([4, 3]);
    expect(seqs(first.timelines)).toEqual([1, 2, 3, 4]);
    expect(first.timelines[chatId]!.watermark).toBe(4);

    const again = storeMessages(first.timelines, chatId, [m(4)]);
    expect(again.arrived).toEqual([]);
    expect(again.timelines).toBe(first.timelines);
  });

  it('leaves the watermark below a hole until the server answers for it', () => {
    const withHole = storeMessages(opened(1, 2), chatId, [m(5)]).timelines;
    expect(withHole[chatId]!.watermark).toBe(2);
    expect(syncCursor(withHole[chatId]!)).toBe(`${chatId}-m2`);
    const answered = raiseWatermark(withHole, chatId, 4);
    expect(answered[chatId]!.watermark).toBe(5);
    expect(raiseWatermark(answered, chatId, 3)).toBe(answered);
  });

  it('catches up a chat without a watermark on its latest page, dropping held ones older than it', () => {
    const held = opened(1, 2);
    const { timelines, arrived } = absorbLatestPage(held, chatId, { messages: [m(7), m(8)], hasMore: true });
    expect(arrived.map((x) => x.seq)).toEqual([7, 8]);
    expect(seqs(timelines)).toEqual([7, 8]);
    expect(timelines[chatId]!.hasMore).toBeTrue();
  });

  it('puts older pages in front', () => {
    const timelines = prependOlder(opened(5, 6), chatId, { messages: [m(3), m(4)], hasMore: false });
    expect(seqs(timelines)).toEqual([3, 4, 5, 6]);
    expect(timelines[chatId]!.hasMore).toBeFalse();
  });

  it('shows our pending message last, marks it failed with the reason, and discards it', () => {
    const withPending = addPending(opened(1), pending);
    expect(timelineOf(withPending, chatId).list.map((x) => x.id)).toEqual([`${chatId}-m1`, 'local:client-1']);
    const failed = markFailed(withPending, chatId, 'client-1', 'Blocked.');
    expect(failed[chatId]!.list[1]).toEqual(jasmine.objectContaining({ local: 'failed', error: 'Blocked.' }));
    expect(seqs(discardFailed(failed, chatId, 'client-1'))).toEqual([1]);
  });

  it('shows the files of a pending message as they are stored or cancelled', () => {
    const upload = (key: string, done = false) => ({ key, name: `${key}.png`, size: 3, mime: 'image/png', kind: 'image' as const, done });
    const withFiles = pendingMessage(chatId, 'user-ana', 'client-2', '', new Date('2026-03-02T10:00:00.000Z'), null, [upload('a'), upload('b')]);
    expect(withFiles.attachments).toEqual([]);
    const timelines = addPending(opened(1), withFiles);
    const changed = setPendingUploads(timelines, chatId, 'client-2', [upload('a', true)]);
    expect(timelineOf(changed, chatId).list[1]!.uploads).toEqual([upload('a', true)]);
    expect(timelineOf(setPendingUploads(changed, chatId, 'no-such-client', []), chatId).list[1]!.uploads).toEqual([upload('a', true)]);
  });

  it('keeps a pending message in a chat not opened yet', () => {
    const timelines = addPending({}, pending);
    expect(timelines[chatId]).toEqual({ list: [pending], hasMore: true, loaded: false, watermark: 0 });
  });

  it('forgets buffers of unopened chats after a disconnect and keeps opened ones', () => {
    const timelines = { ...opened(1), other: timelineOf(storeMessages({}, 'other', [aMessage('other', 4, null)]).timelines, 'other') };
    expect(Object.keys(dropUnopened(timelines))).toEqual([chatId]);
  });
});
