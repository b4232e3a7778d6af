import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Histogram, type Registry } from 'prom-client';

/** Seconds: a healthy loop is late by well under a millisecond; 50 ms and more is what users notice. */
const DELAY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The event loop's delay as a Prometheus histogram, `chat_event_loop_delay_seconds`:
 * perf_hooks.monitorEventLoopDelay samples the loop every `resolutionMs` (a libuv timer, so a
 * sample is late by however long the turn it waited for took), and each scrape moves the samples
 * taken since the last one into the histogram, less the resolution itself. The default metrics'
 * `nodejs_eventloop_lag_*` gauges give percentiles since start; this gives the distribution over
 * time, so `histogram_quantile(0.99, rate(chat_event_loop_delay_seconds_bucket[1m]))` shows a
 * long turn when it happens.
 */
export function registerEventLoopDelay(registry: Registry, resolutionMs = 10): Histogram {
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  const histogram: Histogram = new Histogram({
    name: 'chat_event_loop_delay_seconds',
    help: 'How late the event loop ran a timer, sampled by perf_hooks.monitorEventLoopDelay',
    buckets: DELAY_BUCKETS,
    registers: [registry],
    collect: () => moveSamples(delay, histogram, resolutionMs),
  });
  return histogram;
}

/** Observes every sample recorded since the last call (to the histogram's precision), then starts over. */
function moveSamples(delay: IntervalHistogram, histogram: Histogram, resolutionMs: number): void {
  const total = delay.count;
  if (total === 0) return;
  // percentiles: ascending percentile -> the highest sample (ns) at or below it.
  let observed = 0;
  for (const [percentile, nanoseconds] of delay.percentiles) {
    const upTo = Math.min(total, Math.round((percentile / 100) * total));
    const seconds = Math.max(0, nanoseconds / 1e6 - resolutionMs) / 1000;
    for (; observed < upTo; observed += 1) histogram.observe(seconds);
  }
  delay.reset();
}
