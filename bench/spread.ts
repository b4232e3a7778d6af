/** Repeated measurements of one figure: each value, and their median, min and max. */
export interface Spread {
  values: number[];
  median: number;
  min: number;
  max: number;
}

/** The lower median for an even count, so that it is always one of the values measured. */
export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { values, median: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN, min: sorted[0] ?? NaN, max: sorted.at(-1) ?? NaN };
}

/** `median (min–max)` with `digits` decimals. */
export function formatSpread(spread: Spread, digits: number, unit = ''): string {
  return `${spread.median.toFixed(digits)}${unit} (${spread.min.toFixed(digits)}–${spread.max.toFixed(digits)})`;
}
