// Runs node:test files, each in a runner of its own, a few at a time, and reports them briefly.
//
//   node scripts/run-test-files.mjs [--concurrency=N] [--test-timeout=MS] [--file-timeout=MS] files...
//
// - --test-timeout is node's: it bounds each test and, a file being run on its own, the file as a
//   whole, which then fails with what had finished. A file that still does not end (a loop that
//   never yields, a process it waits for) is killed with its process group after --file-timeout
//   and reported as failed; so are the processes a file leaves behind. Node's own runner cannot
//   bound a file's wall time, which is why this pool is written here.
// - A file that passes prints one line; a failing one prints its whole TAP report, indented. The
//   run ends with `# pass N` and `# fail N` over all files, the lines CI adds up.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * @param {{files: string[], concurrency?: number, testTimeoutMs?: number, fileTimeoutMs?: number}} options
 * @returns {Promise<boolean>} whether every file passed
 */
export async function runTestFiles({ files, concurrency = 2, testTimeoutMs = 120_000, fileTimeoutMs = 600_000 }) {
  const running = new Set();
  const killGroup = (child) => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  // The files run in process groups of their own: stopping this runner stops them too.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      for (const child of running) killGroup(child);
      process.exit(1);
    });
  }

  const totals = { pass: 0, fail: 0 };
  const failed = [];

  /** Runs one file and prints its report; resolves with whether it passed. */
  const runFile = (file) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--test', `--test-timeout=${testTimeoutMs}`, '--test-force-exit', file],
        { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      running.add(child);
      const output = [];
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
      let killed = false;
      const watchdog = setTimeout(() => {
        killed = true;
        killGroup(child);
      }, fileTimeoutMs);
      // A process the file started and left behind may hold its output open: it goes with the group.
      let leftBehind;
      child.once('exit', () => (leftBehind = setTimeout(() => killGroup(child), 5_000)));
      child.on('close', (code, signal) => {
        running.delete(child);
        clearTimeout(watchdog);
        clearTimeout(leftBehind);
        killGroup(child);
        const report = Buffer.concat(output).toString();
        const pass = sumOf(report, 'pass');
        // A test that timed out counts as cancelled.
        let fail = sumOf(report, 'fail') + sumOf(report, 'cancelled');
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        let why = '';
        if (killed) why = `still running after ${fileTimeoutMs / 1000} s, killed`;
        else if (code !== 0 && fail === 0) why = `exited with ${code ?? signal} without a failing test`;
        if (why) fail += 1;
        totals.pass += pass;
        totals.fail += fail;
        const ok = code === 0 && !killed && fail === 0;
        if (ok) {
          process.stdout.write(`ok - ${file}: ${pass} passed (${seconds} s)\n`);
        } else {
          failed.push(file);
          process.stdout.write(`not ok - ${file}: ${pass} passed, ${fail} failed (${seconds} s)${why ? `: ${why}` : ''}\n`);
          process.stdout.write(report.replace(/^/gm, '  | ') + '\n');
        }
        resolve(ok);
      });
    });

  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stdout.write(`# pass ${totals.pass}\n# fail ${totals.fail}\n`);
  if (failed.length > 0) process.stdout.write(`# files that failed: ${failed.length} of ${files.length}\n${failed.map((f) => `#   ${f}`).join('\n')}\n`);
  return failed.length === 0;
}

/** The top-level `# name N` lines of a TAP report, added up. */
function sumOf(report, name) {
  let total = 0;
  for (const match of report.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))) total += Number(match[1]);
  return total;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = { files: [] };
  for (const arg of process.argv.slice(2)) {
    const [, name, value] = /^--([\w-]+)=(\d+)$/.exec(arg) ?? [];
    if (name === 'concurrency') options.concurrency = Number(value);
    else if (name === 'test-timeout') options.testTimeoutMs = Number(value);
    else if (name === 'file-timeout') options.fileTimeoutMs = Number(value);
    else if (arg.startsWith('--')) {
      console.error(`unknown option ${arg}`);
      process.exit(2);
    } else options.files.push(arg);
  }
  if (options.files.length === 0) {
    console.error('no test files given');
    process.exit(2);
  }
  process.exit((await runTestFiles(options)) ? 0 : 1);
}
