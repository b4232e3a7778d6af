/**
 * `--upload`: upload throughput against one server process (SQLite, blobs on disk, or
 * `--upload --mongo`: MongoDB/FerretDB with GridFS). For 1 MB and 25 MB files, 1, 10 and 50
 * uploads at once (multipart over HTTP, as browsers send them); then 10 pictures of 4000×3000 at
 * once (decoding, thumb and preview made by sharp). Meanwhile one member, in a process of its own
 * (bench/chatter-process.ts, so that the uploads' client work does not delay it), sends a chat
 * message every 20 ms and times its ack. Prints MB/s, the server's RSS (before, peak, growth) and the messages'
 * p99, against the targets: RSS growth < 100 MB at 50 × 25 MB, message p99 < 50 ms. Each step
 * runs on a fresh server after a warm-up, `--pairs N` times (default 3 here), the steps taking
 * turns, and the figures are reported as median (min–max).
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { startChatter } from '../chatter-process.js';
import { summarize, type LatencySummary } from '../latency-summary.js';
import { PeakRss, rssMiB } from '../process-usage.js';
import { canPin, pin, pinSelf } from '../pinning.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms, type SeededUser } from '../seed-store.js';
import { formatSpread, spreadOf, type Spread } from '../spread.js';
import { productBenchEnv } from './message-load.js';

const MB = 1024 * 1024;
const UPLOADERS = 50;
const MESSAGE_EVERY_MS = 20;

export interface UploadCase {
  file: string;
  concurrent: number;
  uploads: number;
  megabytes: number;
  seconds: number;
  mbPerSecond: number;
  rssBeforeMiB: number;
  rssPeakMiB: number;
  rssGrowthMiB: number;
  messages: LatencySummary;
  failures: number;
}

/** One step over its repetitions, each on a fresh server. */
export interface UploadStep {
  file: string;
  concurrent: number;
  runs: UploadCase[];
  mbPerSecond: Spread;
  rssGrowthMiB: Spread;
  messageP99Ms: Spread;
}

export interface UploadFigures {
  store: string;
  repetitions: number;
  steps: UploadStep[];
  /** The targets, at 50 × 25 MB: the worst RSS growth, and the median message p99 over the repetitions. */
  targets: { rssGrowthMiB: number; messageP99Ms: number };
  metTargets: boolean;
}

interface PlannedStep {
  file: string;
  bytes: () => Buffer;
  type: string;
  concurrent: number;
  rounds: number;
}

/**
 * Every step runs `repetitions` times, each time on a fresh server (store seeded anew) with a
 * warm-up (a few uploads and messages) before the window, the steps taking turns; the report
 * gives each figure's median and spread.
 */
export async function runUploadLoad(options: { mongo: boolean; pin: boolean; pairs: number }, log: (line: string) => void): Promise<UploadFigures> {
  const repetitions = options.pairs;
  const picture = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
  const plan: PlannedStep[] = [];
  for (const size of [1, 25]) {
    for (const concurrent of [1, 10, 50]) {
      plan.push({ file: `${size} MB`, bytes: () => randomBytes(size * MB), type: 'application/octet-stream', concurrent, rounds: size === 1 ? 3 : 1 });
    }
  }
  plan.push({ file: `picture 4000×3000 (${(picture.length / MB).toFixed(1)} MB JPEG)`, bytes: () => picture, type: 'image/jpeg', concurrent: 10, rounds: 1 });

  const runs = new Map<PlannedStep, UploadCase[]>(plan.map((step) => [step, []]));
  let store = '';
  for (let repetition = 1; repetition <= repetitions; repetition++) {
    for (const step of plan) {
      const { result, description } = await runOnFreshServer(step, options, log);
      store = description;
      runs.get(step)!.push(result);
      log(
        `[${repetition}/${repetitions}] upload ${step.file} × ${step.concurrent} at once: ${result.mbPerSecond.toFixed(1)} MB/s, ${result.seconds.toFixed(2)} s, ` +
          `RSS ${result.rssBeforeMiB.toFixed(0)} → peak ${result.rssPeakMiB.toFixed(0)} MiB (+${result.rssGrowthMiB.toFixed(0)}), ` +
          `messages meanwhile p50 ${result.messages.p50.toFixed(1)} / p99 ${result.messages.p99.toFixed(1)} ms (${result.messages.count})` +
          (result.failures ? `, ${result.failures} FAILED` : ''),
      );
    }
  }

  const steps: UploadStep[] = plan.map((step) => {
    const done = runs.get(step)!;
    return {
      file: step.file,
      concurrent: step.concurrent,
      runs: done,
      mbPerSecond: spreadOf(done.map((run) => run.mbPerSecond)),
      rssGrowthMiB: spreadOf(done.map((run) => run.rssGrowthMiB)),
      messageP99Ms: spreadOf(done.map((run) => run.messages.p99)),
    };
  });
  log(`median (min–max) over ${repetitions} fresh server(s) per step:`);
  for (const step of steps) {
    log(
      `  ${step.file} × ${step.concurrent}: ${formatSpread(step.mbPerSecond, 1)} MB/s, RSS +${formatSpread(step.rssGrowthMiB, 0)} MiB, ` +
        `message p99 ${formatSpread(step.messageP99Ms, 1)} ms`,
    );
  }
  const targets = { rssGrowthMiB: 100, messageP99Ms: 50 };
  const big = steps.find((step) => step.file === '25 MB' && step.concurrent === 50)!;
  const failures = steps.reduce((sum, step) => sum + step.runs.reduce((n, run) => n + run.failures, 0), 0);
  const metTargets = failures === 0 && big.rssGrowthMiB.max < targets.rssGrowthMiB && big.messageP99Ms.median < targets.messageP99Ms;
  log(
    `targets at 50 × 25 MB (RSS growth < ${targets.rssGrowthMiB} MiB in every run, median message p99 < ${targets.messageP99Ms} ms), ` +
      `no upload failing: ${metTargets ? 'met' : 'NOT met'}`,
  );
  return { store, repetitions, steps, targets, metTargets };
}

/** One step on a server of its own: seed, start, pin, warm up, measure, stop. */
async function runOnFreshServer(
  step: PlannedStep,
  options: { mongo: boolean; pin: boolean },
  log: (line: string) => void,
): Promise<{ result: UploadCase; description: string }> {
  const prepared = await prepareDeployment(
    {
      store: options.mongo ? 'mongo' : 'sqlite',
      redis: false,
      nodes: 1,
      env: { ...productBenchEnv(), UPLOAD_DAILY_QUOTA_BYTES: String(1024 * 1024 * MB), UPLOAD_MAX_BYTES: String(25 * MB) },
    },
    (storage, jwtSecret) => seedUsersAndRooms(storage, { users: UPLOADERS + 2, roomSize: 2, bcryptCost: 4, jwtSecret, prefix: 'upload' }),
  );
  const deployment = await prepared.start();
  const users = prepared.seeded;
  const url = deployment.urls[0]!;
  const pid = deployment.servers[0]!.pid;
  const [chatter] = users.slice(-2) as [SeededUser];
  const uploaders = users.slice(0, UPLOADERS);
  const chatterProcess = startChatter({ url, token: chatter.token, chatId: chatter.chatId, everyMs: MESSAGE_EVERY_MS });
  try {
    await chatterProcess.ready;
    // --pin: the server on core 0; the uploads and the chatting member on core 1.
    if (options.pin) {
      if (canPin()) {
        pin(pid, 0);
        pinSelf(1);
        pin(chatterProcess.pid, 1);
      } else if (!warnedAboutPinning) {
        warnedAboutPinning = true;
        log('warning: --pin asked for, but this machine cannot pin (fewer than 2 cores or no taskset)');
      }
    }
    // Warm-up: a few uploads and messages before the window.
    chatterProcess.start();
    await Promise.all(uploaders.slice(0, 3).map((user) => upload(url, user.token, randomBytes(MB), 'application/octet-stream')));
    await chatterProcess.stop();

    // Every upload of a round has bytes of its own (no two the same blob), made before timing.
    const files = Array.from({ length: step.concurrent }, step.bytes);
    const rssBefore = rssMiB(pid) ?? 0;
    const peak = new PeakRss(pid, 100);
    chatterProcess.start();
    const started = performance.now();
    let failures = 0;
    let bytes = 0;
    for (let round = 0; round < step.rounds; round++) {
      const results = await Promise.all(files.map((file, i) => upload(url, uploaders[i]!.token, file, step.type)));
      failures += results.filter((ok) => !ok).length;
      bytes += files.reduce((sum, file) => sum + file.length, 0);
    }
    const seconds = (performance.now() - started) / 1000;
    const messages = summarize(await chatterProcess.stop());
    const rssPeak = peak.stop();
    return {
      description: deployment.description,
      result: {
        file: step.file,
        concurrent: step.concurrent,
        uploads: step.concurrent * step.rounds,
        megabytes: bytes / MB,
        seconds,
        mbPerSecond: bytes / MB / seconds,
        rssBeforeMiB: rssBefore,
        rssPeakMiB: rssPeak,
        rssGrowthMiB: rssPeak - rssBefore,
        messages,
        failures,
      },
    };
  } finally {
    await chatterProcess.close();
    await deployment.stop();
  }
}

let warnedAboutPinning = false;

/** Uploads one file; true when stored (201), otherwise logs why not once per reason. */
async function upload(url: string, token: string, bytes: Buffer, type: string): Promise<boolean> {
  const form = new FormData();
  form.append('file', new Blob([bytes as unknown as BlobPart], { type }), 'bench.bin');
  try {
    const res = await fetch(`${url}/api/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const body = await res.text();
    if (res.status !== 201) reportOnce(`HTTP ${res.status} ${body.slice(0, 200)}`);
    return res.status === 201;
  } catch (error) {
    reportOnce(`request failed: ${String((error as Error).cause ?? error)}`);
    return false;
  }
}

const reported = new Set<string>();
function reportOnce(reason: string): void {
  if (reported.has(reason)) return;
  reported.add(reason);
  console.log(`[bench] an upload failed: ${reason}`);
}
