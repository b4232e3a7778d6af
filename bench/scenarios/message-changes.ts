/**
 * `--changes`: the message load with edits and reactions mixed in, side by side with the same
 * load without them. Messages go out at --rate as in the default scenario (same clients, rooms,
 * bodies); with changes, reactions (10 % of all operations) and edits of the client's own recent
 * messages (2 %) are scheduled among them on top (bench/change-load.ts). Target: the delivered
 * message rate with changes at least 95 % of the rate without.
 *
 * Method (as --login-storm --flood): a fresh server (and store) for every step; the server pinned
 * to core 0, the load generator to core 1 (taskset, when there are two cores); a warm-up at the
 * full load before each measured window; the two settings alternate, --changes-pairs times, and
 * each figure is reported as median (min–max), the ratios per pair.
 */
import type { BenchOptions } from '../bench-options.js';
import { LoadGenerator } from '../load-generator.js';
import type { ChangeFigures, ChangeMix, RunSpec } from '../load-protocol.js';
import { measuredRun, runPassed, type MeasuredRun } from '../measured-run.js';
import { canPin } from '../pinning.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms } from '../seed-store.js';
import { formatSpread, spreadOf, type Spread } from '../spread.js';
import { describeRun, productBenchEnv } from './message-load.js';

export const CHANGE_MIX: ChangeMix = { react: 0.1, edit: 0.02 };
const WARM_UP_S = 2;
const SETTINGS = ['without changes', 'with changes'] as const;
type Setting = (typeof SETTINGS)[number];

export interface ChangeStep {
  setting: Setting;
  pair: number;
  run: MeasuredRun;
  /** Server CPU ms per operation sent (messages and changes). */
  serverCpuMsPerOperation: number | null;
  pinned: boolean;
}

interface SettingFigures {
  deliveredPerSec: Spread;
  p99Ms: Spread;
  cpuMsPerMessage: Spread;
  cpuMsPerOperation: Spread;
}

export interface ChangeLoadFigures {
  mix: ChangeMix;
  steps: ChangeStep[];
  settings: Record<Setting, SettingFigures>;
  /** With / without, per pair. */
  ratios: { deliveredPerSec: Spread; p99: Spread; cpuMsPerMessage: Spread };
  targetRateRatio: number;
  metTarget: boolean;
  /** Every run: nothing lost, duplicated, refused or unanswered, messages and changes alike. */
  allDelivered: boolean;
}

export async function runMessageChanges(options: BenchOptions, log: (line: string) => void): Promise<ChangeLoadFigures> {
  const pinned = canPin();
  log(pinned ? 'server pinned to core 0, load generator to core 1' : 'not pinned (needs taskset and two cores): figures are noisier');
  const steps: ChangeStep[] = [];
  for (let pair = 1; pair <= options.changesPairs; pair += 1) {
    for (const setting of SETTINGS) {
      const step = await runStep(options, setting, pair, pinned, log);
      steps.push(step);
      log(`${setting} #${pair}: ${describeRun(step.run)}${step.run.changes ? `; ${describeChanges(step.run.changes)}` : ''}`);
    }
  }
  const of = (setting: Setting, figure: (step: ChangeStep) => number | null) =>
    spreadOf(steps.filter((step) => step.setting === setting).map((step) => figure(step) ?? NaN));
  const settings = Object.fromEntries(
    SETTINGS.map((setting) => [
      setting,
      {
        deliveredPerSec: of(setting, (step) => step.run.deliveredPerSec),
        p99Ms: of(setting, (step) => step.run.latency.p99),
        cpuMsPerMessage: of(setting, (step) => step.run.serverCpuMsPerMessage),
        cpuMsPerOperation: of(setting, (step) => step.serverCpuMsPerOperation),
      },
    ]),
  ) as Record<Setting, SettingFigures>;
  const ratio = (figure: (run: MeasuredRun) => number | null) =>
    spreadOf(
      Array.from({ length: options.changesPairs }, (_, index) => {
        const [without, withChanges] = SETTINGS.map((setting) => steps.find((step) => step.pair === index + 1 && step.setting === setting)!.run);
        return (figure(withChanges!) ?? NaN) / (figure(without!) ?? NaN);
      }),
    );
  const ratios = {
    deliveredPerSec: ratio((run) => run.deliveredPerSec),
    p99: ratio((run) => run.latency.p99),
    cpuMsPerMessage: ratio((run) => run.serverCpuMsPerMessage),
  };
  const allDelivered = steps.every((step) => runPassed(step.run, Infinity) && changesPassed(step.run.changes));
  const figures: ChangeLoadFigures = { mix: CHANGE_MIX, steps, settings, ratios, targetRateRatio: 0.95, metTarget: ratios.deliveredPerSec.median >= 0.95, allDelivered };
  printFigures(options, figures);
  return figures;
}

async function runStep(options: BenchOptions, setting: Setting, pair: number, pinned: boolean, log: (line: string) => void): Promise<ChangeStep> {
  const prepared = await prepareDeployment({ store: options.mongo ? 'mongo' : 'sqlite', redis: options.redis, nodes: 1, env: productBenchEnv() }, (storage, jwtSecret) =>
    seedUsersAndRooms(storage, { users: options.clients, roomSize: options.roomSize, bcryptCost: 4, jwtSecret, prefix: 'bench' }),
  );
  const deployment = await prepared.start();
  const generator = LoadGenerator.spawn();
  try {
    const server = deployment.servers[0]!;
    await generator.connectToProduct(server, prepared.seeded, pinned);
    const spec = (durationS: number): RunSpec => ({
      rate: options.rate,
      durationMs: durationS * 1000,
      drainMs: options.drainS * 1000,
      bodyBytes: options.bodyBytes,
      ...(setting === 'with changes' && { changes: CHANGE_MIX }),
    });
    log(`${setting} #${pair}: warm-up ${WARM_UP_S} s, then ${options.durationS} s at ${options.rate} msg/s ...`);
    await generator.run(spec(WARM_UP_S));
    const run = await measuredRun(generator, [server.pid], spec(options.durationS));
    const operations = run.sent + (run.changes ? run.changes.sent.react + run.changes.sent.edit : 0);
    const perOperation = run.serverCpuMsPerMessage === null ? null : (run.serverCpuMsPerMessage * run.sent) / operations;
    return { setting, pair, run, serverCpuMsPerOperation: perOperation, pinned };
  } finally {
    await generator.close();
    await deployment.stop();
  }
}

function changesPassed(changes: ChangeFigures | undefined): boolean {
  if (!changes) return true;
  const refused = Object.values(changes.ackErrors).reduce((sum, count) => sum + count, 0);
  return changes.lost === 0 && changes.duplicated === 0 && changes.seqGaps === 0 && refused === 0 && changes.ackMissing === 0;
}

function describeChanges(changes: ChangeFigures): string {
  const refused = Object.entries(changes.ackErrors).map(([code, count]) => `${code}:${count}`).join(',');
  return (
    `changes: ${changes.sent.react} reactions + ${changes.sent.edit} edits${changes.skipped ? ` (${changes.skipped} skipped)` : ''}, ` +
    `${changes.delivered}/${changes.expected} delivered, lost ${changes.lost}, dup ${changes.duplicated}, gaps ${changes.seqGaps}` +
    `${refused ? `, refused ${refused}` : ''}${changes.ackMissing ? `, unanswered ${changes.ackMissing}` : ''}, ` +
    `p50 ${changes.latency.p50.toFixed(1)} p99 ${changes.latency.p99.toFixed(1)} ms`
  );
}

function printFigures(options: BenchOptions, figures: ChangeLoadFigures): void {
  const percent = (spread: Spread) => formatSpread({ ...spread, median: 100 * spread.median, min: 100 * spread.min, max: 100 * spread.max }, 1, ' %');
  console.log('');
  console.log(
    `${options.clients} clients, rooms of ${options.roomSize}, ${options.rate} msg/s for ${options.durationS} s; with changes: ` +
      `+${(100 * CHANGE_MIX.react).toFixed(0)} % reactions and ${(100 * CHANGE_MIX.edit).toFixed(0)} % edits of all operations; ` +
      `${options.changesPairs} pairs, fresh server each step; median (min–max)`,
  );
  for (const [setting, s] of Object.entries(figures.settings)) {
    console.log(
      `  ${setting.padEnd(15)} deliveries/s ${formatSpread(s.deliveredPerSec, 0)}, message p99 ${formatSpread(s.p99Ms, 1, ' ms')}, ` +
        `server CPU ${formatSpread(s.cpuMsPerMessage, 3)} ms per message, ${formatSpread(s.cpuMsPerOperation, 3)} ms per operation`,
    );
  }
  console.log(
    `  with/without: delivered message rate ${percent(figures.ratios.deliveredPerSec)}, p99 ${formatSpread(figures.ratios.p99, 2, 'x')}, ` +
      `CPU per message ${formatSpread(figures.ratios.cpuMsPerMessage, 2, 'x')}`,
  );
  console.log(`  target: message rate with changes >= 95 % of without: ${figures.metTarget ? 'met' : 'NOT met'}; everything delivered once: ${figures.allDelivered ? 'yes' : 'NO'}`);
  console.log('');
}
