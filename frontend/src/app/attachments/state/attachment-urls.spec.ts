import type { AttachmentUrl } from '@shared';
import { NO_URLS, freshUrl, idsToAsk, nextRenewal, urlsReceived } from './attachment-urls';

describe('attachment URL cache', () => {
  const now = Date.parse('2026-03-02T10:00:00.000Z');
  const url = (id: string, seconds: number): AttachmentUrl => ({
    id,
    original: `/files/${id}/original?exp=1&sig=a`,
    expiresAt: new Date(now + seconds * 1000).toISOString(),
  });

  it('hands out a URL until 30 s before it expires', () => {
    const cache = urlsReceived(NO_URLS, [url('a', 300)], now);
    expect(freshUrl(cache, 'a', now)?.id).toBe('a');
    expect(freshUrl(cache, 'a', now + 269_999)).not.toBeNull();
    expect(freshUrl(cache, 'a', now + 270_000)).toBeNull();
    expect(freshUrl(cache, 'b', now)).toBeNull();
  });

  it('renews a short-lived URL after three quarters of its life', () => {
    const cache = urlsReceived(NO_URLS, [url('a', 20)], now);
    expect(freshUrl(cache, 'a', now + 14_999)).not.toBeNull();
    expect(freshUrl(cache, 'a', now + 15_000)).toBeNull();
  });

  it('asks for each missing or stale id once', () => {
    const cache = urlsReceived(NO_URLS, [url('a', 300), url('b', 0)], now);
    expect(idsToAsk(cache, ['a', 'b', 'c', 'c', 'b'], now)).toEqual(['b', 'c']);
    expect(idsToAsk(cache, ['a'], now)).toEqual([]);
  });

  it('replaces an old URL with a new one', () => {
    const cache = urlsReceived(urlsReceived(NO_URLS, [url('a', 0)], now), [url('a', 600)], now);
    expect(freshUrl(cache, 'a', now)).not.toBeNull();
    expect(urlsReceived(cache, [], now)).toBe(cache);
  });

  it('knows when the next URL still fresh is due for renewal', () => {
    const cache = urlsReceived(NO_URLS, [url('a', 300), url('b', 120), url('gone', 0)], now);
    expect(nextRenewal(cache, now)).toBe(now + 90_000);
    expect(nextRenewal(cache, now + 90_000)).toBe(now + 270_000);
    expect(nextRenewal(cache, now + 270_000)).toBeNull();
  });
});
