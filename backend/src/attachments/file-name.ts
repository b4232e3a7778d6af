import { MAX_FILE_NAME_LENGTH } from '../../../shared/src/schemas/attachments.js';

/** Control characters, bidi overrides and isolates, zero-width and other invisible format characters. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/** Characters no file system (or Content-Disposition reader) should get in a name. */
const RESERVED = /[\\/:*?"<>|]/g;

/**
 * The name a file is kept and offered under: the last path segment only (no `../`, no folders,
 * Windows or POSIX), without control, bidi-override (RTL tricks like `gpj.exe` shown as
 * `exe.jpg`) or invisible characters, Unicode-normalised (NFC), without leading dots or
 * trailing dots and spaces, at most MAX_FILE_NAME_LENGTH characters with the extension kept.
 * Never empty: `file` when nothing is left.
 */
export function cleanFileName(raw: string | undefined): string {
  const lastSegment = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  let name = lastSegment.replace(UNSAFE, '').replace(RESERVED, '_').replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, '').replace(/[. ]+$/, '');
  const chars = Array.from(name);
  if (chars.length > MAX_FILE_NAME_LENGTH) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 ? Array.from(name.slice(dot)).slice(0, 16).join('') : '';
    const stem = Array.from(dot > 0 ? name.slice(0, dot) : name).slice(0, MAX_FILE_NAME_LENGTH - Array.from(extension).length);
    name = stem.join('').trim() + extension;
  }
  return name === '' ? 'file' : name;
}

/**
 * A `Content-Disposition` value offering `name`: an ASCII fallback in `filename` (anything else
 * as `_`) and the exact name in `filename*` (RFC 5987 / RFC 6266).
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
