/**
 * How long to wait before the next attempt after `attempts` failures in a row: doubling from
 * `baseMs` up to `maxMs`, with "equal jitter" (between half and all of it), so subscriptions
 * that failed together do not retry together.
 */
export function retryDelayMs(attempts: number, options: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
