/**
 * CPU time and resident memory of another process, read from /proc (Linux). CPU is sampled
 * twice and turned into a share of one core over the interval; RSS is read at the moment.
 */
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ); 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

export interface CpuSample {
  /** user + system CPU seconds used so far. */
  cpuSeconds: number;
  /** When the sample was taken (performance.now(), ms). */
  at: number;
}

export function sampleCpu(pid: number): CpuSample | null {
  const stat = readStat(pid);
  if (!stat) return null;
  return { cpuSeconds: (stat.utime + stat.stime) / TICKS_PER_SECOND, at: performance.now() };
}

/** CPU used between two samples, as a percentage of one core. */
export function cpuPercent(start: CpuSample | null, end: CpuSample | null): number | null {
  if (!start || !end || end.at <= start.at) return null;
  return (100 * (end.cpuSeconds - start.cpuSeconds)) / ((end.at - start.at) / 1000);
}

/** Resident set size in MiB, or null when the process is gone. */
export function rssMiB(pid: number): number | null {
  const stat = readStat(pid);
  return stat ? (stat.rssPages * PAGE_SIZE) / (1024 * 1024) : null;
}

/** Tracks the highest RSS of a process while a phase runs. */
export class PeakRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number, intervalMs = 250) {
    this.timer = setInterval(() => this.take(), intervalMs);
    this.timer.unref();
    this.take();
  }

  stop(): number {
    clearInterval(this.timer);
    this.take();
    return this.peak;
  }

  private take(): void {
    const rss = rssMiB(this.pid);
    if (rss !== null && rss > this.peak) this.peak = rss;
  }
}

function readStat(pid: number): { utime: number; stime: number; rssPages: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime 15, rss 24.
  return { utime: Number(fields[11]), stime: Number(fields[12]), rssPages: Number(fields[21]) };
}
