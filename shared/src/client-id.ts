/**
 * A new `clientId` for an idempotent send: a UUID version 7 (RFC 9562), whose first 48 bits are
 * the time in milliseconds and the other 74 free bits random. Any UUID is accepted as a
 * clientId; time-ordered ones keep the server's (clientId, sender) uniqueness index appended to
 * at one end instead of written all over, which makes every stored message cheaper.
 *
 * Uses only `crypto.getRandomValues`, present in browsers (also outside secure contexts) and in Node.
 */
export function newClientId(now: number = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = Math.max(0, Math.floor(now));
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
