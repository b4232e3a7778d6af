/**
 * `--upload`: upload throughput against one server process (SQLite, blobs on disk, or
 * `--upload --mongo`: MongoDB/FerretDB with GridFS). For 1 MB and 25 MB files, 1, 10 and 50
 * uploads at once (multipart over HTTP, as browsers send them); then 10 pictures of 4000×3000 at
 * once (decoding, thumb and preview made by sharp). Meanwhile one member, in a process of its own
 * (bench/chatter-process.ts, so that the uploads' client work does not delay it), sends a chat
 * message every 20 ms and times its ack. Prints MB/s, the server's RSS (before, peak, growth) and the messages'
 * p99, against the targets: RSS growth < 100 MB at 50 × 25 MB, message p99 < 50 ms.
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { startChatter } from '../chatter-process.js';
import { summarize, type LatencySummary } from '../latency-summary.js';
import { PeakRss, rssMiB } from '../process-usage.js';
import { canPin, pin, pinSelf } from '../pinning.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms, type SeededUser } from '../seed-store.js';
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

export interface UploadFigures {
  store: string;
  cases: UploadCase[];
  targets: { rssGrowthMiB: number; messageP99Ms: number };
  metTargets: boolean;
}

export async function runUploadLoad(options: { mongo: boolean; pin: boolean }, log: (line: string) => void): Promise<UploadFigures> {
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
  // --pin: the server on core 0, this process (the uploads and the chat) on core 1.
  if (options.pin) {
    if (canPin()) {
      pin(pid, 0);
      pinSelf(1);
      log('server pinned to core 0, load generator to core 1');
    } else {
      log('warning: --pin asked for, but this machine cannot pin (fewer than 2 cores or no taskset)');
    }
  }
  const [chatter] = users.slice(-2) as [SeededUser];
  const uploaders = users.slice(0, UPLOADERS);
  const chatterProcess = startChatter({ url, token: chatter.token, chatId: chatter.chatId, everyMs: MESSAGE_EVERY_MS });
  const cases: UploadCase[] = [];
  try {
    await chatterProcess.ready;
    if (options.pin && canPin()) pin(chatterProcess.pid, 1);
    const picture = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg({ quality: 85 })
      .toBuffer();
    const plan: Array<{ file: string; bytes: () => Buffer; type: string; concurrent: number; rounds: number }> = [];
    for (const size of [1, 25]) {
      for (const concurrent of [1, 10, 50]) {
        plan.push({ file: `${size} MB`, bytes: () => randomBytes(size * MB), type: 'application/octet-stream', concurrent, rounds: size === 1 ? 3 : 1 });
      }
    }
    plan.push({ file: `picture 4000×3000 (${(picture.length / MB).toFixed(1)} MB JPEG)`, bytes: () => picture, type: 'image/jpeg', concurrent: 10, rounds: 1 });
    for (const step of plan) {
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
      const result: UploadCase = {
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
      };
      cases.push(result);
      log(
        `upload ${step.file} × ${step.concurrent} at once: ${result.mbPerSecond.toFixed(1)} MB/s, ${seconds.toFixed(2)} s, ` +
          `RSS ${rssBefore.toFixed(0)} → peak ${rssPeak.toFixed(0)} MiB (+${result.rssGrowthMiB.toFixed(0)}), ` +
          `messages meanwhile p50 ${messages.p50.toFixed(1)} / p99 ${messages.p99.toFixed(1)} ms (${messages.count})` +
          (failures ? `, ${failures} FAILED` : ''),
      );
    }
  } finally {
    await chatterProcess.close();
    await deployment.stop();
  }
  const targets = { rssGrowthMiB: 100, messageP99Ms: 50 };
  const big = cases.find((c) => c.file === '25 MB' && c.concurrent === 50);
  const metTargets =
    cases.every((c) => c.failures === 0 && c.messages.p99 < targets.messageP99Ms) && big !== undefined && big.rssGrowthMiB < targets.rssGrowthMiB;
  log(`targets (RSS growth < ${targets.rssGrowthMiB} MiB at 50 × 25 MB, message p99 < ${targets.messageP99Ms} ms): ${metTargets ? 'met' : 'NOT met'}`);
  return { store: deployment.description, cases, targets, metTargets };
}

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
