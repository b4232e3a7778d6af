import type { AttachmentUrl } from '@shared';

/** A signed URL set as received, with when it is to be renewed. */
export interface CachedUrl {
  url: AttachmentUrl;
  /** From this time (ms since the epoch) it is no longer handed out, and a new one is asked for. */
  renewAt: number;
}

/** Signed URLs the server issued, by attachment id. */
export type UrlCache = Readonly<Record<string, CachedUrl>>;

export const NO_URLS: UrlCache = {};

/**
 * How long before its expiry a URL is renewed: 30 s, or a quarter of its lifetime when that is
 * shorter. A picture asked for just before then still loads, and the new URL comes in good time.
 */
export const URL_EXPIRY_MARGIN_MS = 30_000;

export function urlsReceived(cache: UrlCache, urls: readonly AttachmentUrl[], now: number): UrlCache {
  if (urls.length === 0) return cache;
  const next: Record<string, CachedUrl> = { ...cache };
  for (const url of urls) {
    const expires = Date.parse(url.expiresAt);
    const lifetime = Number.isFinite(expires) ? Math.max(0, expires - now) : 0;
    next[url.id] = { url, renewAt: now + lifetime - Math.min(URL_EXPIRY_MARGIN_MS, lifetime / 4) };
  }
  return next;
}

/** The cached URLs of an attachment until they are due for renewal; else null. */
export function freshUrl(cache: UrlCache, id: string, now: number): AttachmentUrl | null {
  const cached = cache[id];
  return cached && cached.renewAt > now ? cached.url : null;
}

/** Of the ids asked for, those with no fresh URL: each once, in the order asked. */
export function idsToAsk(cache: UrlCache, ids: Iterable<string>, now: number): string[] {
  const missing = new Set<string>();
  for (const id of ids) if (!freshUrl(cache, id, now)) missing.add(id);
  return [...missing];
}

/** When the first URL still fresh at `now` is due for renewal; null for none. */
export function nextRenewal(cache: UrlCache, now: number): number | null {
  let soonest: number | null = null;
  for (const { renewAt } of Object.values(cache)) {
    if (renewAt > now && (soonest === null || renewAt < soonest)) soonest = renewAt;
  }
  return soonest;
}
