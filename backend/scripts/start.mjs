// `npm start`: builds the Angular app (with its service worker) when it is missing or older than
// its sources, then serves.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const built = 'dist/frontend/browser/index.html';
/** The service worker the build writes from frontend/ngsw-config.json: a build without it is redone. */
const serviceWorker = 'dist/frontend/browser/ngsw-worker.js';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

const sources = Math.max(newestMtime('frontend/src'), newestMtime('shared/src'), statSync('frontend/ngsw-config.json').mtimeMs, statSync('angular.json').mtimeMs);
const stale = !existsSync(built) || !existsSync(serviceWorker) || !existsSync('dist/widget/browser/main.js') || sources > statSync(built).mtimeMs;
if (stale) {
  console.log('Building the web app…');
  // `npm run build`: the build as package.json defines it (chunks merged for a small first load).
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
