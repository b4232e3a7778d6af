/** The messages between the benchmark (bench/run.ts) and its load generator process (bench/load-client.ts). */
import type { LatencySummary } from './latency-summary.js';

/** `product`: the chat server (authenticate with a token, rooms joined by the server). `bare`: bare-server.ts (join the room yourself). */
export type TargetKind = 'product' | 'bare';

export interface ClientSpec {
  /** Which server URL this client connects to. */
  url: string;
  /** Access token (product only). */
  token?: string;
  /** The room (product: chat id) this client sends to and hears. */
  room: string;
}

export type ToLoadClient =
  | { type: 'connect'; kind: TargetKind; clients: ClientSpec[]; concurrency: number }
  | { type: 'run'; run: RunSpec }
  | { type: 'close' };

export interface RunSpec {
  /** Offered aggregate rate, messages per second, spread round-robin over all clients. */
  rate: number;
  durationMs: number;
  /** After the last send, how long to wait for outstanding deliveries before counting them lost. */
  drainMs: number;
  /** Approximate message body size in bytes (at least what the timestamp needs). */
  bodyBytes: number;
  /**
   * Edits and reactions mixed in (--changes): `rate` stays the rate of messages, and these
   * shares of all operations are added on top (so messages are 1 - react - edit of them).
   */
  changes?: ChangeMix;
}

export interface ChangeMix {
  /** Share of operations that are `message:react` on a recent message of the client's room. */
  react: number;
  /** Share of operations that are `message:edit` of one of the client's own recent messages. */
  edit: number;
}

/** The changes of one run (operations sent are `sent`), and the `message:changed` deliveries they caused. */
export interface ChangeFigures extends Deliveries {
  sent: { react: number; edit: number };
  /** Change operations due but not sent: no message to react to or edit yet. */
  skipped: number;
  /** Deliveries of positions no acknowledged change of the run took. */
  unexpected: number;
  /** Per chat: positions between the lowest and the highest the run's acks gave that none did. */
  seqGaps: number;
}

export type FromLoadClient =
  | { type: 'connected'; clients: number; failed: number; elapsedMs: number; firstError?: string }
  | { type: 'result'; result: RunResult }
  | { type: 'error'; message: string };

/**
 * What became of the operations of one run and the deliveries they owed: messages (lost and
 * duplicated per message id and receiver), or changes (per change position, chat and receiver).
 */
export interface Deliveries {
  /** Operations acknowledged with ok. */
  acked: number;
  /** Operations answered with an error, by code. */
  ackErrors: Record<string, number>;
  /** Operations with no answer at the end of the drain period. */
  ackMissing: number;
  /** Deliveries expected: every other member of the room, for each operation not refused. */
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** End-to-end latency, from the scheduled send time to the receiving client. */
  latency: LatencySummary;
}

export interface RunResult extends Deliveries {
  offeredRate: number;
  /** Messages sent. */
  sent: number;
  /** Deliveries per second, from the first scheduled send to the last delivery. */
  deliveredPerSec: number;
  /** Sender's round trip to the ack. */
  ackLatency: LatencySummary;
  /** How far the load generator's sends fell behind their schedule (ms): a large value means the generator itself was saturated. */
  sendLagMaxMs: number;
  sendLagP99Ms: number;
  /** Sockets that disconnected during the run. */
  disconnects: number;
  /** With RunSpec.changes only. */
  changes?: ChangeFigures;
}
