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
}

export type FromLoadClient =
  | { type: 'connected'; clients: number; failed: number; elapsedMs: number; firstError?: string }
  | { type: 'result'; result: RunResult }
  | { type: 'error'; message: string };

export interface RunResult {
  offeredRate: number;
  sent: number;
  /** Sends acknowledged with ok. */
  acked: number;
  /** Sends answered with an error, by code. */
  ackErrors: Record<string, number>;
  /** Sends with no answer at the end of the drain period. */
  ackMissing: number;
  /** Deliveries expected: every other member of the room, for each send not refused. */
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Deliveries per second, from the first scheduled send to the last delivery. */
  deliveredPerSec: number;
  /** End-to-end latency, from the scheduled send time to the receiving client. */
  latency: LatencySummary;
  /** Sender's round trip to the ack. */
  ackLatency: LatencySummary;
  /** How far the load generator's sends fell behind their schedule (ms): a large value means the generator itself was saturated. */
  sendLagMaxMs: number;
  sendLagP99Ms: number;
  /** Sockets that disconnected during the run. */
  disconnects: number;
}
