import { refreshDelayMs } from './refresh-delay';

describe('refreshDelayMs', () => {
  it('refreshes at four fifths of a long lifetime', () => {
    expect(refreshDelayMs(900)).toBe(720_000);
  });

  it('keeps a 30 s margin on short lifetimes', () => {
    expect(refreshDelayMs(60)).toBe(30_000);
  });

  it('never schedules sooner than a second', () => {
    expect(refreshDelayMs(10)).toBe(1000);
    expect(refreshDelayMs(0)).toBe(1000);
  });
});
