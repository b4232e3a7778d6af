// Runs every backend test file with node's test runner. Node 20 does not expand globs
// itself, so the files are listed here: *.test.ts under backend/src and backend/test.
//
// Each file runs in a runner of its own, two at a time, and its report is printed whole when it
// ends. A test that hangs fails after TEST_TIMEOUT_MS with its name (node's runner reports it and
// goes on with the file); a file that still does not end, say a child process it waits for, is
// killed after FILE_TIMEOUT_MS and reported as failed. Node's own runner cannot bound a file's
// wall time, so this small pool is written here.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The slowest test takes under a minute here. */
const TEST_TIMEOUT_MS = 120_000;
const FILE_TIMEOUT_MS = 600_000;
const CONCURRENCY = 2;

function testFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const only = process.argv.slice(2);
const files = only.length ? only : [...testFiles('backend/src'), ...testFiles('backend/test')].sort();
if (files.length === 0) {
  console.error('no backend test files found');
  process.exit(1);
}

const running = new Set();
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
// The files run in process groups of their own: stopping this runner stops them too.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of running) killGroup(child);
    process.exit(1);
  });
}

/** Runs one file; resolves with whether it passed, after printing its whole report. */
function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-force-exit', file],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    running.add(child);
    let killed = false;
    const watchdog = setTimeout(() => {
      killed = true;
      // The whole group: the file's own child processes too.
      killGroup(child);
    }, FILE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      running.delete(child);
      clearTimeout(watchdog);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`# file: ${file} (${seconds} s)\n`);
      process.stdout.write(Buffer.concat(output));
      if (killed) {
        process.stdout.write(`not ok - ${file}: still running after ${FILE_TIMEOUT_MS / 1000} s, killed\n# fail 1\n`);
      } else if (code !== 0 && !/^# fail [1-9]/m.test(Buffer.concat(output).toString())) {
        // Ended badly without a failing test to show for it (a crash before the report).
        process.stdout.write(`not ok - ${file}: exited with ${code ?? signal}\n# fail 1\n`);
      }
      resolve(code === 0 && !killed);
    });
  });
}

const queue = [...files];
const failed = [];
async function worker() {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (!(await runFile(file))) failed.push(file);
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
if (failed.length > 0) {
  process.stdout.write(`\n# files that failed: ${failed.length} of ${files.length}\n${failed.map((f) => `#   ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`\n# all ${files.length} backend test files passed\n`);
