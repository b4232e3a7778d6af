import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';

/**
 * A pass-through that feeds every chunk to `hash`, counts the bytes, and fails the stream as
 * soon as more than `maxBytes` went through (so the rest is never read).
 */
export function hashingLimit(hash: Hash, maxBytes = Number.POSITIVE_INFINITY) {
  let bytes = 0;
  let over = false;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        over = true;
        callback(new Error('too large'));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { transform, bytes: () => bytes, tooLarge: () => over };
}
