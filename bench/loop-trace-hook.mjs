/**
 * Preloaded into a server process with `npm run bench -- --cpu-prof DIR` (beside the CPU profile):
 * records the event loop's delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution), every
 * garbage collection (PerformanceObserver 'gc': kind and duration) and every event-loop turn
 * longer than 20 ms seen by a 5 ms probe timer, and writes them to <CPU_PROFILE_DIR>/<pid>.loop.json
 * when the process exits. Compare the long turns' times with the GC pauses and with the CPU
 * profile (bench/long-turns.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance, PerformanceObserver, constants } from 'node:perf_hooks';

const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const gcKinds = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcs.push({ at: Math.round(entry.startTime), ms: +entry.duration.toFixed(2), kind: gcKinds[entry.detail?.kind] ?? String(entry.detail?.kind) });
  }).observe({ entryTypes: ['gc'] });
  const longTurns = [];
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - last > 25) longTurns.push({ at: Math.round(last), ms: +(now - last - 5).toFixed(1) });
    last = now;
  }, 5).unref();
  process.once('exit', () => {
    const ms = (ns) => +(ns / 1e6).toFixed(2);
    const gcByKind = {};
    for (const gc of gcs) {
      const kind = (gcByKind[gc.kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
      kind.count += 1;
      kind.totalMs = +(kind.totalMs + gc.ms).toFixed(2);
      kind.maxMs = Math.max(kind.maxMs, gc.ms);
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `${process.pid}.loop.json`),
      JSON.stringify(
        {
          eventLoopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), p999: ms(delay.percentile(99.9)), max: ms(delay.max), mean: ms(delay.mean) },
          gcByKind,
          gcOver5ms: gcs.filter((gc) => gc.ms > 5),
          longTurns,
        },
        null,
        1,
      ),
    );
  });
}
