/**
 * Summarises a V8 CPU profile (`.cpuprofile`, as written by `node --cpu-prof` or
 * `npm run bench -- --cpu-prof DIR`): the functions with the most self time, and self time per
 * source (a package in node_modules, a project file, or V8/Node internals).
 *
 *   node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top 40]
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

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '40' } } });
const file = positionals[0];
if (!file) {
  console.error('usage: node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top N]');
  process.exit(2);
}
const top = Number(values.top);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
for (let index = 0; index < profile.samples.length; index += 1) {
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
