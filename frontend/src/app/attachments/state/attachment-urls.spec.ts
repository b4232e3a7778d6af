import type { AttachmentUrl } from '@shared';
import { NO_URLS, freshUrl, idsToAsk, nextRefreshAt, urlsReceived, variantUrl } from './attachment-urls';

describe('attachment URL cache', () => {
  const now = Date.parse('2026-03-02T10:00:00.000Z');
  const url = (id: string, minutes: number, extra: Partial<AttachmentUrl> = {}): AttachmentUrl => ({
    id,
    original: `/files/${id}/original?exp=1&sig=a`,
    expiresAt: new Date(now + minutes * 60_000).toISOString(),
    ...extra,
  });

  it('hands out a URL until shortly before it expires', () => {
    const cache = urlsReceived(NO_URLS, [url('a', 5)]);
    expect(freshUrl(cache, 'a', now)?.id).toBe('a');
    expect(freshUrl(cache, 'a', now + 4 * 60_000)).not.toBeNull();
    expect(freshUrl(cache, 'a', now + 5 * 60_000 - 30_000)).toBeNull();
    expect(freshUrl(cache, 'b', now)).toBeNull();
  });

  it('asks for each missing or stale id once', () => {
    const cache = urlsReceived(NO_URLS, [url('a', 5), url('b', 0)]);
    expect(idsToAsk(cache, ['a', 'b', 'c', 'c', 'b'], now)).toEqual(['b', 'c']);
    expect(idsToAsk(cache, ['a'], now)).toEqual([]);
  });

  it('replaces an old URL with a new one', () => {
    const cache = urlsReceived(urlsReceived(NO_URLS, [url('a', 0)]), [url('a', 10)]);
    expect(freshUrl(cache, 'a', now)).not.toBeNull();
    expect(urlsReceived(cache, [])).toBe(cache);
  });

  it('knows when the first URL needs renewing', () => {
    const cache = urlsReceived(NO_URLS, [url('a', 5), url('b', 2)]);
    expect(nextRefreshAt(cache, ['a', 'b', 'x'])).toBe(now + 2 * 60_000 - 30_000);
    expect(nextRefreshAt(cache, ['x'])).toBeNull();
  });

  it('falls back to a larger variant when a smaller one does not exist', () => {
    const image = url('a', 5, { preview: '/p', thumb: '/t' });
    const file = url('b', 5);
    expect(variantUrl(image, 'thumb')).toBe('/t');
    expect(variantUrl(image, 'preview')).toBe('/p');
    expect(variantUrl(file, 'thumb')).toBe(file.original);
    expect(variantUrl({ ...image, thumb: undefined }, 'thumb')).toBe('/p');
  });
});
