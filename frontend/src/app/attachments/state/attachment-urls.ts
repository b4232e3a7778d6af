import type { AttachmentUrl } from '@shared';

/** Signed URLs the server issued, by attachment id. */
export type UrlCache = Readonly<Record<string, AttachmentUrl>>;

export const NO_URLS: UrlCache = {};

/**
 * How long before its expiry a URL is no longer handed out: a picture asked for then still
 * loads, and a new URL is asked for in good time.
 */
export const URL_EXPIRY_MARGIN_MS = 30_000;

export function urlsReceived(cache: UrlCache, urls: readonly AttachmentUrl[]): UrlCache {
  if (urls.length === 0) return cache;
  const next: Record<string, AttachmentUrl> = { ...cache };
  for (const url of urls) next[url.id] = url;
  return next;
}

/** The cached URLs of an attachment while they are good for at least the margin; else null. */
export function freshUrl(cache: UrlCache, id: string, now: number, marginMs = URL_EXPIRY_MARGIN_MS): AttachmentUrl | null {
  const url = cache[id];
  if (!url) return null;
  const expires = Date.parse(url.expiresAt);
  return Number.isFinite(expires) && expires - marginMs > now ? url : null;
}

/** Of the ids asked for, those with no fresh URL: each once, in the order asked. */
export function idsToAsk(cache: UrlCache, ids: Iterable<string>, now: number, marginMs = URL_EXPIRY_MARGIN_MS): string[] {
  const missing = new Set<string>();
  for (const id of ids) if (!freshUrl(cache, id, now, marginMs)) missing.add(id);
  return [...missing];
}

/** When the first of these URLs stops being handed out (its expiry less the margin); null for none. */
export function nextRefreshAt(cache: UrlCache, ids: Iterable<string>, marginMs = URL_EXPIRY_MARGIN_MS): number | null {
  let soonest: number | null = null;
  for (const id of ids) {
    const url = cache[id];
    if (!url) continue;
    const at = Date.parse(url.expiresAt) - marginMs;
    if (Number.isFinite(at) && (soonest === null || at < soonest)) soonest = at;
  }
  return soonest;
}

/** The URL of one variant: a thumb or preview falls back to the next larger one the server has. */
export function variantUrl(url: AttachmentUrl, variant: 'thumb' | 'preview' | 'original'): string {
  if (variant === 'thumb') return url.thumb ?? url.preview ?? url.original;
  if (variant === 'preview') return url.preview ?? url.original;
  return url.original;
}
