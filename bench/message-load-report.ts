/** The message load's report: the table of every step, the per-pair ratios and their median, and the two SVG plots. */
import { writeFileSync } from 'node:fs';
import type { BenchOptions } from './bench-options.js';
import { renderLatencyPlot, renderRatePlot, type PlotSeries } from './latency-plot.js';
import { runPassed } from './measured-run.js';
import type { MessageLoadResult, ServerRuns } from './scenarios/message-load.js';
import { formatSpread, type Spread } from './spread.js';

const COLORS = ['#1f6fb4', '#2a9d3a', '#8e44ad', '#c0392b'];
const BARE_COLOR = '#e07b00';

export function printMessageLoad(options: BenchOptions, result: MessageLoadResult): void {
  const rows: string[][] = [
    ['server', 'pair', 'offered/s', 'sent', 'delivered/s', 'lost', 'dup', 'refused', 'p50 ms', 'p99 ms', 'max ms', 'srv CPU %', 'CPU ms/msg', 'CPU µs/delivery (per process)', 'srv RSS MiB', 'gen CPU %', 'gen lag p99'],
  ];
  for (const series of result.series) {
    for (const run of series.runs) {
      rows.push([
        series.name,
        String(series.pair),
        String(run.offeredRate),
        String(run.sent),
        run.deliveredPerSec.toFixed(0),
        String(run.lost),
        String(run.duplicated),
        String(Object.values(run.ackErrors).reduce((a, b) => a + b, 0) + run.ackMissing),
        run.latency.p50.toFixed(1),
        run.latency.p99.toFixed(1),
        run.latency.max.toFixed(1),
        run.serverCpuPercent.map((c) => (c === null ? '?' : c.toFixed(0))).join('+'),
        run.serverCpuMsPerMessage === null ? '?' : run.serverCpuMsPerMessage.toFixed(3),
        `${micros(run.serverCpuMsPerDelivery)}${run.serverCpuMsPerDeliveryByProcess.length > 1 ? ` (${run.serverCpuMsPerDeliveryByProcess.map(micros).join(' + ')})` : ''}`,
        run.serverRssMiB.map((r) => r.toFixed(0)).join('+'),
        run.loadClientCpuPercent === null ? '?' : run.loadClientCpuPercent.toFixed(0),
        run.sendLagP99Ms.toFixed(1),
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log('');
  console.log(`${options.clients} clients, rooms of ${options.roomSize}, ${options.bodyBytes}-byte bodies, ${result.pinned ? 'pinned (server core 0, generator core 1)' : 'not pinned'}, warm-up ${options.warmUpS} s per step`);
  for (const description of new Set(result.series.map((s) => `${s.name}: ${s.description}`))) console.log(`  ${description}`);
  for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));
  console.log('');
  if (options.sweep) {
    for (const series of result.series) {
      const failed = series.bestRate === null ? '' : series.failedBelowBest.length ? `; FAILED below it at ${series.failedBelowBest.join(', ')} msg/s` : '; every rate below it passed';
      console.log(`${series.name} #${series.pair}: highest rate with p99 < ${options.p99TargetMs} ms and nothing lost: ${series.bestRate ?? 'none'} msg/s${failed}`);
    }
  }
  for (const [name, ratios] of Object.entries(result.ratios)) {
    const perPair = (spread: Spread, digits: number) => `${spread.values.map((v) => v.toFixed(digits)).join(', ')}; median ${formatSpread(spread, digits)}`;
    if (options.sweep && ratios.bestRate) console.log(`${name}/bare highest passing rate, per pair: ${perPair(ratios.bestRate, 2)}`);
    for (const at of ratios.atRate) {
      console.log(`${name}/bare at ${at.rate} msg/s, per pair: p99 ${perPair(at.p99, 2)}; CPU per delivery ${perPair(at.cpuPerDelivery, 2)}`);
    }
  }
}

function micros(ms: number | null): string {
  return ms === null ? '?' : (1000 * ms).toFixed(1);
}

/** Sweep only: `<base>.svg` (p99 against offered rate) and `<base>-cpu.svg` (CPU per delivery against rate). */
export function writeSweepPlots(options: BenchOptions, result: MessageLoadResult, base: string): string[] {
  const color = (series: ServerRuns) => (series.server === 'bare' ? BARE_COLOR : COLORS[result.targets.findIndex((t) => t.name === series.name) % COLORS.length]!);
  const name = (series: ServerRuns) => `${series.name}${options.pairs > 1 ? ` #${series.pair}` : ''}`;
  const latency: PlotSeries[] = result.series.map((series) => ({
    name: name(series),
    color: color(series),
    points: series.runs.map((run) => ({ rate: run.offeredRate, p99: run.latency.p99, passed: runPassed(run, options.p99TargetMs) })),
  }));
  const cpu: PlotSeries[] = result.series.map((series) => ({
    name: name(series),
    color: color(series),
    points: series.runs.map((run) => ({ rate: run.offeredRate, p99: 1000 * (run.serverCpuMsPerDelivery ?? NaN), passed: runPassed(run, options.p99TargetMs) })),
  }));
  const setting = `${options.clients} clients, rooms of ${options.roomSize}${result.pinned ? ', pinned' : ''}`;
  const files = [`${base}.svg`, `${base}-cpu.svg`];
  writeFileSync(files[0]!, renderLatencyPlot(latency, options.p99TargetMs, `p99 latency vs offered rate: ${setting}`));
  writeFileSync(
    files[1]!,
    renderRatePlot(cpu, `server CPU per delivery vs offered rate: ${setting}`, {
      label: 'server CPU per delivery (µs, log)',
      min: 10,
      target: null,
      describe: (value) => `${value.toFixed(1)} µs of server CPU per delivery`,
    }),
  );
  return files;
}
