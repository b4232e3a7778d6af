/**
 * The load benchmark (not a test): `npm run bench -- --help`.
 *
 * Starts the product as child processes on a temp store, seeds users and group chats, and drives
 * them from a separate load-generator process; then the same load against a bare socket.io
 * relay as the reference. Prints a table and the product/bare ratios; writes the figures to
 * bench/results/<timestamp>.json (and two SVG plots for --sweep). Every process it starts is
 * stopped at the end, by its own PID.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBenchOptions, USAGE, type BenchOptions } from './bench-options.js';
import { printMessageLoad, writeSweepPlots } from './message-load-report.js';
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
import { runStoreAppends } from './scenarios/store-appends.js';

const log = (line: string) => console.log(`[bench] ${line}`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // `--upload [--mongo] [--pin] [--pairs N]`: upload throughput (scenarios/upload-load.ts), each
  // step N times (default 3) on a fresh server; no other options.
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
    figures = { upload: await runUploadLoad({ ...options, pairs: argv.includes('--pairs') ? options.pairs : 3 }, log) };
  } else if (options.idle !== null) {
    figures = { idle: await runIdleSockets(options, options.idle, log) };
  } else if (options.search) {
    figures = { search: await runMessageSearch(options, log) };
  } else if (options.history) {
    figures = { history: await runHistoryPages(options, log) };
  } else if (options.storeAppends) {
    figures = { storeAppends: await runStoreAppends(options, log) };
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
    for (const file of writeSweepPlots(options, messageLoad, join(options.outDir, stamp))) log(`plot written to ${file}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
