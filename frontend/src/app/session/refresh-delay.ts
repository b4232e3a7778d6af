/**
 * When to refresh an access token that expires in `expiresInSeconds`: at four fifths of its
 * life, and never later than 30 s before it expires (nor sooner than 1 s from now).
 */
export function refreshDelayMs(expiresInSeconds: number): number {
  const lifetime = Math.max(0, expiresInSeconds) * 1000;
  return Math.max(1000, Math.min(lifetime * 0.8, lifetime - 30_000));
}
