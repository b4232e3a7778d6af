// `npm run lighthouse`: Lighthouse on the login page of the built app, served by the real server.
//
// Builds nothing: run `npm run build` first. Starts the server (backend/src/main.ts) on a free
// port with a fresh SQLite store in a temp directory, runs Lighthouse (mobile emulation, its
// default simulated throttling: 150 ms RTT, 1.6 Mbps down) with headless Chromium against
// /login, prints the scores and figures, and stops the server by its PID.
//
//   CHROME_PATH   the browser (default /usr/bin/chromium)
//   LH_RUNS       how many Lighthouse runs (default 1); the median performance run is printed
//   LH_JSON       a path to write the last full Lighthouse report (JSON) to
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const staticDir = join(root, 'dist/frontend/browser');
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const runs = Math.max(1, Number(process.env.LH_RUNS ?? 1) || 1);
const lighthouseCli = createRequire(import.meta.url).resolve('lighthouse/cli/index.js');

if (!existsSync(join(staticDir, 'index.html'))) {
  console.error(`No built app in ${staticDir}: run \`npm run build\` first.`);
  process.exit(1);
}

/** Starts the server and resolves with its child process and base URL once it listens. */
function startServer(dataDir) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: staticDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg === 'listening' && typeof entry.port === 'number') resolveStart({ child, url: `http://127.0.0.1:${entry.port}` });
    });
  });
}

/** Stops the server by its PID and waits for it to go. */
function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolveStop());
    process.kill(child.pid, 'SIGTERM');
  });
}

/** One Lighthouse run through its CLI; resolves with the parsed report. */
function runLighthouse(url) {
  const args = [
    lighthouseCli,
    url,
    '--only-categories=performance,accessibility',
    '--output=json',
    '--output-path=stdout',
    '--chrome-flags=--headless=new --no-sandbox',
    '--quiet',
  ];
  const child = spawn(process.execPath, args, { env: { ...process.env, CHROME_PATH: chromePath }, stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolveRun, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`lighthouse exited with ${code}`));
      else resolveRun(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

function figures(report) {
  const audit = (id) => report.audits[id]?.numericValue ?? Number.NaN;
  const items = report.audits['network-requests']?.details?.items ?? [];
  return {
    performance: Math.round((report.categories.performance?.score ?? Number.NaN) * 100),
    accessibility: Math.round((report.categories.accessibility?.score ?? Number.NaN) * 100),
    transferred: audit('total-byte-weight'),
    resources: items.reduce((sum, item) => sum + (item.resourceSize ?? 0), 0),
    requests: items.length,
    fcp: audit('first-contentful-paint'),
    lcp: audit('largest-contentful-paint'),
    tti: audit('interactive'),
    tbt: audit('total-blocking-time'),
    failedA11y: Object.values(report.categories.accessibility?.auditRefs ?? [])
      .map((ref) => report.audits[ref.id])
      .filter((entry) => entry && entry.score !== null && entry.score < 1 && entry.scoreDisplayMode === 'binary')
      .map((entry) => entry.id),
  };
}

const dataDir = mkdtempSync(join(tmpdir(), 'parley-lighthouse-'));
let server;
try {
  server = await startServer(dataDir);
  const url = `${server.url}/login`;
  console.log(`Lighthouse ${runs} run(s) on ${url} (mobile, simulated 150 ms RTT / 1.6 Mbps, ${chromePath})`);
  const results = [];
  let last;
  for (let run = 0; run < runs; run += 1) {
    last = await runLighthouse(url);
    results.push(figures(last));
  }
  if (process.env.LH_JSON) writeFileSync(process.env.LH_JSON, JSON.stringify(last));
  results.sort((a, b) => a.performance - b.performance);
  const median = results[Math.floor(results.length / 2)];
  console.log(`lighthouse ${last.lighthouseVersion}, ${last.configSettings.formFactor}, throttling ${last.configSettings.throttlingMethod}`);
  if (runs > 1) console.log(`performance over the runs: ${results.map((r) => r.performance).join(', ')} (median below)`);
  console.log(`performance score    ${median.performance}`);
  console.log(`accessibility score  ${median.accessibility}${median.failedA11y.length ? ` (failing: ${median.failedA11y.join(', ')})` : ''}`);
  console.log(`transferred          ${kb(median.transferred)} in ${median.requests} requests (${kb(median.resources)} uncompressed)`);
  console.log(`first contentful     ${seconds(median.fcp)}`);
  console.log(`largest contentful   ${seconds(median.lcp)}`);
  console.log(`time to interactive  ${seconds(median.tti)}`);
  console.log(`total blocking time  ${Math.round(median.tbt)} ms`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (server) await stopServer(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}
