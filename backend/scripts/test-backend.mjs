// Runs every backend test file with node's test runner, two files at a time, each bounded in
// time (scripts/run-test-files.mjs). Node 20 does not expand globs itself, so the files are
// listed here: *.test.ts under backend/src and backend/test, or the files given.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTestFiles } from '../../scripts/run-test-files.mjs';

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
// The slowest file takes about a minute here; node's limit applies to each file as a whole too.
const passed = await runTestFiles({ files, concurrency: 2, testTimeoutMs: 300_000, fileTimeoutMs: 600_000 });
process.exit(passed ? 0 : 1);
