/**
 * Pinning processes to cores (taskset), so that the server and the load generator do not take
 * turns on one core: the server on core 0, the generator on core 1, when there are two cores.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/** Whether there are two cores and taskset works here. */
export function canPin(): boolean {
  if (cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every thread of `pid` (threads made later inherit it) onto `core`. */
export function pin(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/** Pins this process (every thread) to `core`; false when that is not possible here. */
export function pinSelf(core: number): boolean {
  if (!canPin()) return false;
  try {
    pin(process.pid, core);
    return true;
  } catch {
    return false;
  }
}
