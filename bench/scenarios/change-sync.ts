/**
 * `--change-sync`: catching up on a chat's changes. One group chat of CHAT_MEMBERS members gets
 * CHAT_MESSAGES messages and then --change-sync-changes (10,000) changes, seeded through the
 * storage port (`messages.change`, one after another) before the server starts: a fifth are edits
 * by the message's sender, the rest reactions (a random member, message and emoji; on if that
 * member does not have it on, off if it does). Then, over an authenticated socket, a member who
 * holds every message pages through `sync` from change position 0, following `hasMoreChanges`
 * with the answer's `changeSeq` to the end, --change-sync-passes (50) times, one page after
 * another. Reports the round trip per page (target p99 < 50 ms) and what a page carries.
 *
 * The server is pinned to core 0 and this process, the client, to core 1 (when possible); one
 * pass warms up first and is not counted.
 */
import type { Socket } from 'socket.io-client';
import { authenticatedSocket } from '../authenticated-socket.js';
import type { BenchOptions } from '../bench-options.js';
import { REACTION_EMOJI } from '../change-load.js';
import { summarize, type LatencySummary } from '../latency-summary.js';
import { pin, pinSelf } from '../pinning.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms } from '../seed-store.js';
import { sampleCpu } from '../process-usage.js';
import { cpuProfileEnv, productBenchEnv } from './message-load.js';

const CHAT_MEMBERS = 10;
const CHAT_MESSAGES = 2_000;
const EDIT_SHARE = 0.2;
const TARGET_P99_MS = 50;

export interface ChangeSyncFigures {
  messages: number;
  changes: number;
  seedSeconds: number;
  passes: number;
  pagesPerPass: number;
  /** Per page: change rows covered (positions), messages in `changes`, JSON size of the answer. */
  pageSize: { positions: number; messages: { mean: number; max: number }; kib: { mean: number; max: number } };
  latency: LatencySummary;
  /** The server's CPU time over the measured passes, per page (null when /proc could not be read). */
  serverCpuMsPerPage: number | null;
  targetP99Ms: number;
  metTarget: boolean;
  pinned: boolean;
}

interface SyncAnswer {
  ok: boolean;
  data?: { chats: Record<string, { messages: unknown[]; changes: unknown[]; changeSeq: number; hasMoreChanges: boolean }> };
  error?: { code: string };
}

export async function runChangeSync(options: BenchOptions, log: (line: string) => void): Promise<ChangeSyncFigures> {
  if (options.mongo) throw new Error('--change-sync runs on SQLite; run it without --mongo');
  const total = options.changeSyncChanges;
  const prepared = await prepareDeployment({ store: 'sqlite', redis: false, nodes: 1, env: { ...productBenchEnv(), ...cpuProfileEnv(options, 'product') } }, async (storage, jwtSecret) => {
    const members = await seedUsersAndRooms(storage, { users: CHAT_MEMBERS, roomSize: CHAT_MEMBERS, bcryptCost: 4, jwtSecret, prefix: 'changes' });
    const chatId = members[0]!.chatId;
    log(`change sync: ${CHAT_MESSAGES} messages and ${total.toLocaleString('en')} changes through the storage port ...`);
    const started = performance.now();
    const messages: Array<{ id: string; senderId: string }> = [];
    for (let start = 0; start < CHAT_MESSAGES; start += 200) {
      const batch = Array.from({ length: Math.min(200, CHAT_MESSAGES - start) }, (_, offset) => {
        const sender = members[(start + offset) % members.length]!;
        return storage.messages.append({ chatId, kind: 'text', senderId: sender.id, clientId: null, body: `message ${start + offset}`, notice: null });
      });
      for (const message of await Promise.all(batch)) messages.push({ id: message.id, senderId: message.senderId! });
    }
    const reactionsOn = new Set<string>();
    let last = 0;
    for (let index = 0; index < total; index += 1) {
      const message = messages[Math.floor(Math.random() * messages.length)]!;
      const applied =
        index % Math.round(1 / EDIT_SHARE) === 0
          ? await storage.messages.change(chatId, { kind: 'edit', messageId: message.id, actorId: message.senderId, body: `edit ${index} of a seeded message` })
          : await react(message.id);
      if (applied.changeSeq !== last + 1) throw new Error(`change ${index + 1} took position ${applied.changeSeq}`);
      last = applied.changeSeq;
    }
    async function react(messageId: string) {
      const actorId = members[Math.floor(Math.random() * members.length)]!.id;
      const emoji = REACTION_EMOJI[Math.floor(Math.random() * REACTION_EMOJI.length)]!;
      const key = `${messageId} ${actorId} ${emoji}`;
      const on = !reactionsOn.has(key);
      if (on) reactionsOn.add(key);
      else reactionsOn.delete(key);
      return storage.messages.change(chatId, { kind: 'react', messageId, actorId, emoji, on });
    }
    const seedSeconds = (performance.now() - started) / 1000;
    log(`change sync: seeded in ${seedSeconds.toFixed(1)} s`);
    return { reader: members[1]!, chatId, lastMessageId: messages.at(-1)!.id, seedSeconds };
  });
  const deployment = await prepared.start();
  const { reader, chatId, lastMessageId, seedSeconds } = prepared.seeded;
  let socket: Socket | undefined;
  try {
    const pinned = pinSelf(1);
    if (pinned) pin(deployment.servers[0]!.pid, 0);
    socket = await authenticatedSocket(deployment.urls[0]!, reader.token);
    const pages: Array<{ ms: number; positions: number; messages: number; bytes: number }> = [];
    /** One pass from position 0 to the end; every page's round trip. */
    const pass = async () => {
      const pagesOfPass: typeof pages = [];
      for (let cursor = 0, more = true; more; ) {
        const started = performance.now();
        const answer = (await socket!.timeout(10_000).emitWithAck('sync', { chats: { [chatId]: lastMessageId }, changes: { [chatId]: cursor } })) as SyncAnswer;
        const ms = performance.now() - started;
        const chat = answer.data?.chats[chatId];
        if (!answer.ok || !chat) throw new Error(`sync failed: ${answer.error?.code ?? 'the chat is missing'}`);
        if (chat.messages.length > 0 || chat.changeSeq <= cursor) throw new Error(`sync from ${cursor}: ${chat.messages.length} messages, changeSeq ${chat.changeSeq}`);
        pagesOfPass.push({ ms, positions: chat.changeSeq - cursor, messages: chat.changes.length, bytes: JSON.stringify(answer).length });
        cursor = chat.changeSeq;
        more = chat.hasMoreChanges;
        if (!more && cursor !== total) throw new Error(`sync ended at change position ${cursor} of ${total}`);
      }
      return pagesOfPass;
    };
    await pass();
    const serverPid = deployment.servers[0]!.pid;
    const cpuBefore = sampleCpu(serverPid);
    for (let index = 0; index < options.changeSyncPasses; index += 1) pages.push(...(await pass()));
    const cpuAfter = sampleCpu(serverPid);
    const serverCpuMsPerPage = cpuBefore && cpuAfter ? ((cpuAfter.cpuSeconds - cpuBefore.cpuSeconds) * 1000) / pages.length : null;
    const latency = summarize(pages.map((page) => page.ms));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const full = pages.filter((page) => page.positions === pages[0]!.positions);
    const figures: ChangeSyncFigures = {
      messages: CHAT_MESSAGES,
      changes: total,
      seedSeconds,
      passes: options.changeSyncPasses,
      pagesPerPass: pages.length / options.changeSyncPasses,
      pageSize: {
        positions: pages[0]!.positions,
        messages: { mean: mean(full.map((page) => page.messages)), max: Math.max(...pages.map((page) => page.messages)) },
        kib: { mean: mean(full.map((page) => page.bytes)) / 1024, max: Math.max(...pages.map((page) => page.bytes)) / 1024 },
      },
      latency,
      serverCpuMsPerPage,
      targetP99Ms: TARGET_P99_MS,
      metTarget: latency.p99 < TARGET_P99_MS,
      pinned,
    };
    const size = figures.pageSize;
    console.log('');
    console.log(
      `change sync: ${options.changeSyncPasses} passes of ${figures.pagesPerPass} pages through ${total.toLocaleString('en')} changes ` +
        `to ${CHAT_MESSAGES} messages (seeded in ${seedSeconds.toFixed(1)} s)${pinned ? '' : ', not pinned'}`,
    );
    console.log(
      `page: ${size.positions} change positions, ${size.messages.mean.toFixed(0)} messages (max ${size.messages.max}), ` +
        `${size.kib.mean.toFixed(0)} KiB of JSON (max ${size.kib.max.toFixed(0)})`,
    );
    console.log(
      `round trip per page: p50 ${latency.p50.toFixed(1)} ms, p95 ${latency.p95.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ` +
        `max ${latency.max.toFixed(1)} ms; target p99 < ${TARGET_P99_MS} ms: ${figures.metTarget ? 'met' : 'NOT met'}; ` +
        `server CPU ${serverCpuMsPerPage === null ? '?' : serverCpuMsPerPage.toFixed(1)} ms per page`,
    );
    console.log('');
    return figures;
  } finally {
    socket?.close();
    await deployment.stop();
  }
}
