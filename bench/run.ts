/**
 * The load benchmark (not a test): `npm run bench -- --help`.
 *
 * Starts the product as child processes on a temp store, seeds users and group chats, and drives
 * them from a separate load-generator process; then the same load against a bare socket.io
 * relay as the reference. Prints a table and the product/bare ratios; writes the figures to
 * bench/results/<timestamp>.json (and an SVG plot for --sweep). Every process it starts is
 * stopped at the end, by its own PID.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.js';
import { renderLatencyPlot } from './latency-plot.js';
import type { MeasuredRun } from './measured-run.js';
import { runBcryptFlood } from './scenarios/bcrypt-flood.js';
import { runChangeSync } from './scenarios/change-sync.js';
import { runHistoryPages } from './scenarios/history-pages.js';
import { runIdleSockets } from './scenarios/idle-sockets.js';
import { runLoginStorm } from './scenarios/login-storm.js';
import { runMessageChanges } from './scenarios/message-changes.js';
import { runMessageLoad, type MessageLoadResult } from './scenarios/message-load.js';
import { runMessageSearch } from './scenarios/message-search.js';
import { runUploadLoad } from './scenarios/upload-load.js';
import { runMongoLoad } from './scenarios/mongo-load.js';

const log = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // `--upload [--mongo]`: upload throughput (scenarios/upload-load.ts), with no other options.
  const upload = argv.includes('--upload');
  let options: BenchOptions | null;
  try {
    options = parseBenchOptions(upload ? argv.filter((arg) => arg !== '--upload') : argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exit(2);
  }
  if (!options) {
    console.log(USAGE);
    return;
  }
  const startedAt = new Date();
  // tmpdir: where the temporary stores go (TMPDIR=/dev/shm puts them on tmpfs, where an fsync costs nothing).
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, tmpdir: tmpdir() };
  log(`machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}`);
  const loadBefore = loadavg()[0]!;
  if (loadBefore > machine.cpus * 0.5) {
    log(`warning: load average is ${loadBefore.toFixed(1)} on ${machine.cpus} cores; other work on this machine will distort the figures`);
  }

  let figures: Record<string, unknown>;
  if (upload) {
    figures = { upload: await runUploadLoad(options, log) };
  } else if (options.idle !== null) {
    figures = { idle: await runIdleSockets(options, options.idle, log) };
  } else if (options.search) {
    figures = { search: await runMessageSearch(options, log) };
  } else if (options.history) {
    figures = { history: await runHistoryPages(options, log) };
  } else if (options.changeSync) {
    figures = { changeSync: await runChangeSync(options, log) };
  } else if (options.changes) {
    figures = { messageChanges: await runMessageChanges(options, log) };
  } else if (options.loginStorm && options.flood) {
    figures = { bcryptFlood: await runBcryptFlood(options, log) };
  } else if (options.loginStorm) {
    figures = { loginStorm: await runLoginStorm(options, log) };
  } else if (options.mongo && !options.sweep) {
    figures = { mongoLoad: await runMongoLoad(options, log) };
  } else {
    const result = await runMessageLoad(options, log);
    printMessageLoad(options, result);
    figures = { messageLoad: result };
  }

  mkdirSync(options.outDir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const jsonFile = join(options.outDir, `${stamp}.json`);
  const load = { before: loadBefore, after: loadavg()[0]! };
  log(`load average (1 min): ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after`);
  writeFileSync(jsonFile, JSON.stringify({ startedAt: startedAt.toISOString(), command: process.argv.slice(2), options, machine, loadAverage: load, ...figures }, null, 2));
  log(`figures written to ${jsonFile}`);
  const messageLoad = figures['messageLoad'] as MessageLoadResult | undefined;
  if (options.sweep && messageLoad) {
    const svgFile = join(options.outDir, `${stamp}.svg`);
    const series = [
      { name: `product (${messageLoad.product.description})`, color: '#1f6fb4', runs: messageLoad.product.runs },
      ...(messageLoad.bare ? [{ name: 'bare socket.io relay', color: '#e07b00', runs: messageLoad.bare.runs }] : []),
    ].map((s) => ({ name: s.name, color: s.color, points: s.runs.map((run) => ({ rate: run.offeredRate, p99: run.latency.p99, passed: passed(run, options.p99TargetMs) })) }));
    const title = `p99 latency vs offered rate: ${options.clients} clients, rooms of ${options.roomSize}`;
    writeFileSync(svgFile, renderLatencyPlot(series, options.p99TargetMs, title));
    log(`plot written to ${svgFile}`);
  }
}

function passed(run: MeasuredRun, target: number): boolean {
  return run.latency.p99 < target && run.lost === 0 && run.duplicated === 0 && run.ackMissing === 0 && Object.keys(run.ackErrors).length === 0;
}

function printMessageLoad(options: BenchOptions, result: MessageLoadResult): void {
  const rows: string[][] = [
    ['server', 'offered/s', 'sent', 'delivered/s', 'lost', 'dup', 'refused', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'srv CPU %', 'CPU ms/msg', 'srv RSS MiB', 'gen CPU %', 'gen lag p99'],
  ];
  for (const server of [result.product, result.bare]) {
    if (!server) continue;
    for (const run of server.runs) {
      rows.push([
        server.server,
        String(run.offeredRate),
        String(run.sent),
        run.deliveredPerSec.toFixed(0),
        String(run.lost),
        String(run.duplicated),
        String(Object.values(run.ackErrors).reduce((a, b) => a + b, 0) + run.ackMissing),
        run.latency.p50.toFixed(1),
        run.latency.p95.toFixed(1),
        run.latency.p99.toFixed(1),
        run.latency.max.toFixed(1),
        run.serverCpuPercent.map((c) => (c === null ? '?' : c.toFixed(0))).join('+'),
        run.serverCpuMsPerMessage === null ? '?' : run.serverCpuMsPerMessage.toFixed(3),
        run.serverRssMiB.map((r) => r.toFixed(0)).join('+'),
        run.loadClientCpuPercent === null ? '?' : run.loadClientCpuPercent.toFixed(0),
        run.sendLagP99Ms.toFixed(1),
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  console.log('');
  console.log(`${options.clients} clients, rooms of ${options.roomSize}, ${options.bodyBytes}-byte bodies; product: ${result.product.description}`);
  for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));
  console.log('');
  if (!result.bare) return;
  if (options.sweep) {
    const productBest = result.product.bestRate;
    const bareBest = result.bare.bestRate;
    console.log(`highest rate with p99 < ${options.p99TargetMs} ms and nothing lost: product ${productBest ?? 'none'} msg/s, bare ${bareBest ?? 'none'} msg/s`);
    if (productBest && bareBest) console.log(`product/bare sustainable rate: ${((100 * productBest) / bareBest).toFixed(0)} %`);
    printCpuRatio(result);
    return;
  }
  const product = result.product.runs.at(-1);
  const bare = result.bare.runs.at(-1);
  if (product && bare) {
    console.log(`product/bare delivered rate: ${((100 * product.deliveredPerSec) / bare.deliveredPerSec).toFixed(0)} %`);
    console.log(`product/bare p99 latency:    ${(product.latency.p99 / bare.latency.p99).toFixed(2)}x (${product.latency.p99.toFixed(1)} ms vs ${bare.latency.p99.toFixed(1)} ms)`);
  }
  printCpuRatio(result);
}

/** Server CPU per message, product against bare, over the runs both passed at the same rate. */
function printCpuRatio(result: MessageLoadResult): void {
  if (!result.bare) return;
  const ratios: number[] = [];
  for (const product of result.product.runs) {
    const bare = result.bare.runs.find((run) => run.offeredRate === product.offeredRate);
    if (bare?.serverCpuMsPerMessage && product.serverCpuMsPerMessage) ratios.push(product.serverCpuMsPerMessage / bare.serverCpuMsPerMessage);
  }
  if (ratios.length === 0) return;
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  console.log(`server CPU per message, product/bare: ${mean.toFixed(2)}x (bare/product efficiency ${(100 / mean).toFixed(0)} %)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
