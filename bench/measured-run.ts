/** One load run with the server's and the load generator's CPU and memory measured around it. */
import type { LoadGenerator } from './load-generator.js';
import type { RunResult, RunSpec } from './load-protocol.js';
import { cpuPercent, PeakRss, sampleCpu } from './process-usage.js';

export interface MeasuredRun extends RunResult {
  /** Per server process: share of one core during the run (sending and draining). */
  serverCpuPercent: Array<number | null>;
  /** Per server process: highest RSS seen during the run, MiB. */
  serverRssMiB: number[];
  /** All server processes together: CPU milliseconds per message sent (its fan-out included). */
  serverCpuMsPerMessage: number | null;
  /** All server processes together: CPU milliseconds per delivery (one message to one receiving socket). */
  serverCpuMsPerDelivery: number | null;
  /** Per server process: its CPU milliseconds per delivery of the whole run (all processes' deliveries). */
  serverCpuMsPerDeliveryByProcess: Array<number | null>;
  loadClientCpuPercent: number | null;
}

export async function measuredRun(generator: LoadGenerator, serverPids: number[], spec: RunSpec): Promise<MeasuredRun> {
  const cpuBefore = serverPids.map(sampleCpu);
  const clientBefore = sampleCpu(generator.pid);
  const rss = serverPids.map((pid) => new PeakRss(pid));
  const result = await generator.run(spec);
  const cpuAfter = serverPids.map(sampleCpu);
  const clientAfter = sampleCpu(generator.pid);
  const processCpuSeconds = serverPids.map((_, index) => {
    const before = cpuBefore[index];
    const after = cpuAfter[index];
    return !before || !after ? null : after.cpuSeconds - before.cpuSeconds;
  });
  const cpuSeconds = serverPids.reduce<number | null>((sum, _, index) => {
    const before = cpuBefore[index];
    const after = cpuAfter[index];
    return sum === null || !before || !after ? null : sum + (after.cpuSeconds - before.cpuSeconds);
  }, 0);
  return {
    ...result,
    serverCpuPercent: serverPids.map((_, index) => cpuPercent(cpuBefore[index]!, cpuAfter[index]!)),
    serverCpuMsPerMessage: cpuSeconds === null || result.sent === 0 ? null : (cpuSeconds * 1000) / result.sent,
    serverCpuMsPerDelivery: cpuSeconds === null || result.delivered === 0 ? null : (cpuSeconds * 1000) / result.delivered,
    serverCpuMsPerDeliveryByProcess: processCpuSeconds.map((seconds) => (seconds === null || result.delivered === 0 ? null : (seconds * 1000) / result.delivered)),
    serverRssMiB: rss.map((peak) => peak.stop()),
    loadClientCpuPercent: cpuPercent(clientBefore, clientAfter),
  };
}

/** True when the run met the target: p99 under it, nothing lost, duplicated, refused or unanswered. */
export function runPassed(run: RunResult, p99TargetMs: number): boolean {
  const refused = Object.values(run.ackErrors).reduce((sum, count) => sum + count, 0);
  return run.latency.p99 < p99TargetMs && run.lost === 0 && run.duplicated === 0 && refused === 0 && run.ackMissing === 0 && run.delivered > 0;
}
