/**
 * Preloaded into a server process by `npm run bench -- --cpu-prof DIR` (NODE_OPTIONS does not
 * accept --cpu-prof on Node 20, but it accepts --import): samples the process's CPU from start
 * to exit with the inspector's profiler and writes <CPU_PROFILE_DIR>/<pid>.cpuprofile when the
 * process exits normally (SIGTERM, process.exit).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // The main thread's own session answers synchronously, so this works inside 'exit'.
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
