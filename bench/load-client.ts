/**
 * The load generator: a separate process driven over IPC by bench/run.ts.
 *
 * `connect` opens one socket.io-client socket (websocket transport) per client spec and
 * authenticates it (product) or joins its room (bare). `run` sends `chat:message` open-loop:
 * message k is due at t0 + k / rate and goes out when due, whatever happened to earlier sends
 * (no waiting for acks). Each body carries the run number and the scheduled send time, so a
 * receiver computes end-to-end latency from the schedule (delays of the generator itself count
 * against the server, which avoids coordinated omission; sendLag reports them separately).
 * With `changes` in the run, edits and reactions are scheduled among the messages the same way
 * (bench/change-load.ts).
 */
import { newClientId } from '../shared/src/client-id.js';
import { io, type Socket } from 'socket.io-client';
import { ChangeLoad } from './change-load.js';
import { summarize } from './latency-summary.js';
import type { ClientSpec, FromLoadClient, RunResult, RunSpec, TargetKind, ToLoadClient } from './load-protocol.js';

interface Client {
  spec: ClientSpec;
  socket: Socket;
  /** Message ids this client has received in the current run. */
  seen: Set<string>;
}

interface Pending {
  /** Receivers still expected to get it. */
  expected: number;
  received: number;
  answered: boolean;
}

const CONNECT_TIMEOUT_MS = 20_000;

let kind: TargetKind = 'product';
let clients: Client[] = [];
const roomSizes = new Map<string, number>();

// State of the current run.
let runNumber = 0;
let pending = new Map<string, Pending>();
let latencies: number[] = [];
let ackLatencies: number[] = [];
let delivered = 0;
let duplicated = 0;
let lastDeliveryAt = 0;
let disconnects = 0;
/** Edits and reactions, from the first run that asks for them on. */
let changeLoad: ChangeLoad | null = null;

const now = (): number => performance.timeOrigin + performance.now();

function reply(message: FromLoadClient): void {
  process.send?.(message);
}

process.on('message', (raw) => {
  const message = raw as ToLoadClient;
  const work =
    message.type === 'connect'
      ? connectAll(message.kind, message.clients, message.concurrency)
      : message.type === 'run'
        ? runLoad(message.run).then((result) => reply({ type: 'result', result }))
        : closeAll();
  work.catch((error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) }));
});
process.on('disconnect', () => {
  void closeAll();
});

async function connectAll(targetKind: TargetKind, specs: ClientSpec[], concurrency: number): Promise<void> {
  kind = targetKind;
  const started = performance.now();
  let firstError: string | undefined;
  // A room's size is the members that did connect: one that could not is no receiver.
  const connectEach = async (queue: ClientSpec[], parallel: number): Promise<ClientSpec[]> => {
    const failed: ClientSpec[] = [];
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const spec = queue[next++]!;
        try {
          clients.push(await connectOne(spec));
          roomSizes.set(spec.room, (roomSizes.get(spec.room) ?? 0) + 1);
        } catch (error) {
          failed.push(spec);
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
    return failed;
  };
  // On a busy machine some time out: they get a second try, a few at a time.
  const failed = await connectEach(await connectEach(specs, concurrency), Math.max(1, Math.floor(concurrency / 5)));
  reply({ type: 'connected', clients: clients.length, failed: failed.length, elapsedMs: performance.now() - started, ...(firstError && { firstError }) });
}

function connectOne(spec: ClientSpec): Promise<Client> {
  const socket = io(spec.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: CONNECT_TIMEOUT_MS });
  const client: Client = { spec, socket, seen: new Set() };
  return new Promise<Client>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('timed out connecting')), CONNECT_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    };
    const ready = () => {
      clearTimeout(timer);
      socket.on('chat:message', (message: { id: string; clientId: string | null; body: string }) => onMessage(client, message));
      socket.on('message:changed', (change: { chatId: string; changeSeq: number }) => changeLoad?.onChanged(client, change, now()));
      socket.on('disconnect', () => {
        disconnects += 1;
      });
      resolve(client);
    };
    socket.once('connect_error', (error) => fail(error));
    socket.once('connect', () => {
      if (kind === 'product') {
        socket.once('authenticated', ready);
        socket.once('unauthorized', (error: { message: string }) => fail(new Error(`unauthorized: ${error.message}`)));
        socket.emit('authentication', { token: spec.token });
      } else {
        socket.emit('join', { room: spec.room }, (answer: { ok: boolean }) => (answer?.ok ? ready() : fail(new Error('join refused'))));
      }
    });
  });
}

function onMessage(client: Client, message: { id: string; clientId: string | null; body: string }): void {
  const receivedAt = now();
  const separator = message.body.indexOf('|');
  const secondSeparator = message.body.indexOf('|', separator + 1);
  if (separator < 0 || secondSeparator < 0) return;
  if (Number(message.body.slice(0, separator)) !== runNumber) return;
  if (client.seen.has(message.id)) {
    duplicated += 1;
    return;
  }
  client.seen.add(message.id);
  const scheduledAt = Number(message.body.slice(separator + 1, secondSeparator));
  latencies.push(receivedAt - scheduledAt);
  delivered += 1;
  lastDeliveryAt = receivedAt;
  const entry = message.clientId ? pending.get(message.clientId) : undefined;
  if (entry) entry.received += 1;
}

async function runLoad(spec: RunSpec): Promise<RunResult> {
  if (clients.length === 0) throw new Error('no connected clients');
  runNumber += 1;
  pending = new Map();
  latencies = [];
  ackLatencies = [];
  delivered = 0;
  duplicated = 0;
  lastDeliveryAt = 0;
  disconnects = 0;
  for (const client of clients) client.seen.clear();
  if (spec.changes) changeLoad ??= new ChangeLoad(spec.changes, () => clients, (room) => roomSizes.get(room) ?? 1);
  const changes = spec.changes ? changeLoad : null;
  changes?.beginRun(runNumber);
  const ackErrors: Record<string, number> = {};
  const sendLags: number[] = [];

  // Messages at spec.rate; changes on top, as their share of all operations.
  const messageShare = spec.changes ? 1 - spec.changes.react - spec.changes.edit : 1;
  const interval = 1000 / (spec.rate / messageShare);
  const total = Math.max(1, Math.floor((spec.rate * spec.durationMs) / 1000 / messageShare));
  const padding = 'x'.repeat(Math.max(0, spec.bodyBytes - 40));
  const t0 = now() + 50;
  let sent = 0;
  let acked = 0;

  const send = (index: number, scheduledAt: number) => {
    const kind = changes?.kindOf(index) ?? 'message';
    if (kind !== 'message') {
      changes!.send(kind, scheduledAt, padding);
      return;
    }
    const client = clients[sent % clients.length]!;
    const clientId = newClientId();
    const entry: Pending = { expected: (roomSizes.get(client.spec.room) ?? 1) - 1, received: 0, answered: false };
    pending.set(clientId, entry);
    const body = `${runNumber}|${scheduledAt.toFixed(3)}|${padding}`;
    const sentAt = now();
    sendLags.push(sentAt - scheduledAt);
    sent += 1;
    const ack = (answer: { ok: boolean; data?: { message: { id: string } }; error?: { code: string } }) => {
      entry.answered = true;
      ackLatencies.push(now() - sentAt);
      if (answer?.ok) {
        acked += 1;
        if (answer.data) changes?.noteMessage(client, answer.data.message.id);
      } else {
        const code = answer?.error?.code ?? 'malformed_ack';
        ackErrors[code] = (ackErrors[code] ?? 0) + 1;
        entry.expected = 0;
      }
    };
    client.socket.emit('chat:message', { chatId: client.spec.room, clientId, body }, ack);
  };

  await new Promise<void>((resolve) => {
    let index = 0;
    const tick = () => {
      const current = now();
      while (index < total && t0 + index * interval <= current) {
        send(index, t0 + index * interval);
        index += 1;
      }
      if (index < total) setTimeout(tick, Math.max(0, Math.min(1, t0 + index * interval - now())));
      else resolve();
    };
    setTimeout(tick, Math.max(0, t0 - now()));
  });

  // Drain: wait for every expected delivery and every ack, up to drainMs.
  const drainUntil = now() + spec.drainMs;
  const outstanding = () => {
    let missing = 0;
    for (const entry of pending.values()) if (!entry.answered || entry.received < entry.expected) missing += 1;
    return missing + (changes?.outstanding() ?? 0);
  };
  while (now() < drainUntil && outstanding() > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  // Late duplicates would show up now.
  await new Promise((resolve) => setTimeout(resolve, 100));

  let expected = 0;
  let lost = 0;
  let ackMissing = 0;
  for (const entry of pending.values()) {
    expected += entry.expected;
    lost += Math.max(0, entry.expected - entry.received);
    if (!entry.answered) ackMissing += 1;
  }
  const elapsedS = Math.max(spec.durationMs, lastDeliveryAt - t0) / 1000;
  const lagSummary = summarize(sendLags);
  return {
    offeredRate: spec.rate,
    sent,
    acked,
    ackErrors,
    ackMissing,
    expected,
    delivered,
    lost,
    duplicated,
    deliveredPerSec: delivered / elapsedS,
    latency: summarize(latencies),
    ackLatency: summarize(ackLatencies),
    sendLagMaxMs: lagSummary.max,
    sendLagP99Ms: lagSummary.p99,
    disconnects,
    ...(changes && { changes: changes.result() }),
  };
}

async function closeAll(): Promise<void> {
  for (const client of clients) client.socket.close();
  clients = [];
  setTimeout(() => process.exit(0), 50).unref();
}
