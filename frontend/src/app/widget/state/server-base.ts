/**
 * The Parley server a widget talks to, from its `server` attribute: an absolute http(s) URL (a
 * path prefix is kept, a trailing slash dropped), or null for anything else. Relative URLs are
 * read against `base` (the host page's address).
 */
export function serverBase(attribute: string | null | undefined, base: string): string | null {
  const text = attribute?.trim();
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Where socket.io listens under a server base: `/socket.io` under its path prefix, if any. */
export function socketPath(base: string): string {
  return `${new URL(base).pathname.replace(/\/+$/, '')}/socket.io`;
}

/** The SSO token in a host token endpoint's answer: `{"token": "…"}`, or null when there is none. */
export function tokenFromAnswer(answer: unknown): string | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const token = (answer as { token?: unknown }).token;
  return typeof token === 'string' && token.length > 0 && token.length <= 8192 ? token : null;
}
