/**
 * A small hand-written SVG chart of a figure (log scale) against offered message rate, one line
 * per server, with an optional target drawn as a dashed line: p99 latency by default, or
 * (renderRatePlot) any other figure such as CPU per delivery.
 */
export interface PlotSeries {
  name: string;
  color: string;
  /** `p99`: the figure plotted (milliseconds for the latency plot; the y axis says the unit). */
  points: Array<{ rate: number; p99: number; passed: boolean }>;
}

export interface PlotAxis {
  /** The y axis label. */
  label: string;
  /** Lowest value the log axis shows. */
  min: number;
  /** A dashed horizontal line, or null. */
  target: { value: number; label: string } | null;
  /** What a point's tooltip says after the rate. */
  describe: (value: number) => string;
}

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 60 };

export function renderLatencyPlot(series: PlotSeries[], targetMs: number, title: string): string {
  return renderRatePlot(series, title, {
    label: 'p99 end-to-end latency (ms, log)',
    min: 0.5,
    target: { value: targetMs, label: `target ${targetMs} ms` },
    describe: (value) => `p99 ${value.toFixed(1)} ms`,
  });
}

export function renderRatePlot(series: PlotSeries[], title: string, axis: PlotAxis): string {
  const points = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.p99));
  const maxRate = Math.max(1, ...points.map((p) => p.rate));
  const minY = Math.min(axis.min, ...points.map((p) => p.p99).filter((value) => value > 0));
  const maxY = Math.max(axis.target ? axis.target.value * 4 : minY * 10, ...points.map((p) => p.p99));
  const logMin = Math.floor(Math.log10(minY));
  const logMax = Math.ceil(Math.log10(maxY));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (rate: number) => MARGIN.left + (rate / niceCeiling(maxRate)) * plotWidth;
  const y = (ms: number) => MARGIN.top + plotHeight - ((Math.log10(Math.max(minY, ms)) - logMin) / (logMax - logMin)) * plotHeight;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escape(title)}</text>`);

  // Y axis: decades.
  for (let decade = Math.ceil(logMin); decade <= logMax; decade += 1) {
    const value = 10 ** decade;
    const py = y(value);
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${py + 4}" text-anchor="end">${value >= 1 ? value : value.toFixed(-decade)}</text>`);
  }
  // X axis: five steps.
  const xMax = niceCeiling(maxRate);
  for (let step = 0; step <= 5; step += 1) {
    const rate = (xMax / 5) * step;
    const px = x(rate);
    parts.push(`<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${px}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${Math.round(rate)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#444"/>`);
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 18}" text-anchor="middle">offered rate (messages/s)</text>`);
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(axis.label)}</text>`);

  if (axis.target) {
    const targetY = y(axis.target.value);
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${targetY}" y2="${targetY}" stroke="#c00" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right - 4}" y="${targetY - 5}" text-anchor="end" fill="#c00">${escape(axis.target.label)}</text>`);
  }

  // Series.
  series.forEach((s, index) => {
    const valid = s.points.filter((p) => Number.isFinite(p.p99));
    if (valid.length > 0) {
      const path = valid.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.rate).toFixed(1)},${y(p.p99).toFixed(1)}`).join(' ');
      parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
      for (const p of valid) {
        const fill = p.passed ? s.color : 'white';
        parts.push(`<circle cx="${x(p.rate).toFixed(1)}" cy="${y(p.p99).toFixed(1)}" r="4" fill="${fill}" stroke="${s.color}" stroke-width="2"><title>${escape(s.name)}: ${p.rate} msg/s, ${escape(axis.describe(p.p99))}</title></circle>`);
      }
    }
    const legendY = MARGIN.top + 16 + index * 18;
    parts.push(`<line x1="${MARGIN.left + 12}" x2="${MARGIN.left + 36}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${MARGIN.left + 42}" y="${legendY}">${escape(s.name)}</text>`);
  });
  parts.push(`<text x="${MARGIN.left + 12}" y="${MARGIN.top + 16 + series.length * 18}" fill="#666">hollow point: lost messages or p99 over target</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
