/**
 * Summarises a V8 CPU profile (`.cpuprofile`, as written by `node --cpu-prof` or
 * `npm run bench -- --cpu-prof DIR`): the functions with the most self time, and self time per
 * source (a package in node_modules, a project file, or V8/Node internals).
 *
 *   node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top 40] [--long-turns MS] [--from S] [--to S]
 *
 * --long-turns MS counts only the samples of event-loop turns of at least MS milliseconds (runs
 * of consecutive samples that are not idle), and lists those turns: what the long turns are made
 * of. --from / --to keep only the samples between those seconds after the profile's start.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, 'long-turns': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top N]');
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const isIdle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
// Sample i covers the time from the previous sample to its own timestamp.
const at: number[] = [];
let clock = 0;
for (const delta of profile.timeDeltas) at.push((clock += delta));
const fromMicros = values.from === undefined ? -Infinity : Number(values.from) * 1e6;
const toMicros = values.to === undefined ? Infinity : Number(values.to) * 1e6;
const counted = new Uint8Array(profile.samples.length);
for (let index = 0; index < profile.samples.length; index += 1) counted[index] = at[index]! >= fromMicros && at[index]! <= toMicros ? 1 : 0;
if (values['long-turns'] !== undefined) {
  const minimum = Number(values['long-turns']) * 1000;
  const turns: Array<{ start: number; micros: number }> = [];
  let index = 0;
  while (index < profile.samples.length) {
    if (isIdle(profile.samples[index]!)) {
      counted[index] = 0;
      index += 1;
      continue;
    }
    let end = index;
    while (end + 1 < profile.samples.length && !isIdle(profile.samples[end + 1]!)) end += 1;
    const micros = at[end]! - (index > 0 ? at[index - 1]! : 0);
    const long = micros >= minimum;
    if (long && counted[index]) turns.push({ start: index > 0 ? at[index - 1]! : 0, micros });
    for (let i = index; i <= end; i += 1) counted[i] = long ? counted[i]! : 0;
    index = end + 1;
  }
  console.log(`${turns.length} turns of at least ${values['long-turns']} ms (start s: length ms):`);
  console.log(turns.map((turn) => `${(turn.start / 1e6).toFixed(2)}: ${(turn.micros / 1000).toFixed(0)}`).join(', '));
}
const selfMicros = new Map<number, number>();
for (let index = 0; index < profile.samples.length; index += 1) {
  if (!counted[index]) continue;
  const id = profile.samples[index]!;
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const idle = sumWhere((node) => node.callFrame.functionName === '(idle)');
const busy = total - idle;

const byFunction = new Map<string, number>();
const bySource = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') continue;
  const key = `${functionName || '(anonymous)'}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  bySource.set(source(url, functionName), (bySource.get(source(url, functionName)) ?? 0) + micros);
}

console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %)`);
console.log(`\ntop ${top} functions by self time (% of busy time):`);
printTable(byFunction, top);
console.log('\nself time by source (% of busy time):');
printTable(bySource, 30);

function printTable(entries: Map<string, number>, limit: number): void {
  for (const [key, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${((100 * micros) / busy).toFixed(1).padStart(6)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
}

function sumWhere(test: (node: ProfileNode) => boolean): number {
  let sum = 0;
  for (const [id, micros] of selfMicros) if (test(byId.get(id)!)) sum += micros;
  return sum;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const project = url.search(/\/(backend|shared|bench)\//);
  return project >= 0 ? url.slice(project + 1) : url;
}

function source(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  return shortUrl(url);
}
