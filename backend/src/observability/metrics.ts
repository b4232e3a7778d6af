import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerEventLoopDelay } from './event-loop-delay.js';

/** Seconds; socket acks and store calls are expected to take milliseconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The service's Prometheus instruments, on a registry of their own (so two servers in one
 * process never share counts). The realtime layer and the use cases call these; /metrics
 * renders them. Counters only ever grow: Prometheus turns them into rates (`rate(...[1m])`).
 */
export class Metrics {
  readonly registry = new Registry();

  /** Open socket.io connections in this process, authenticated or not; read on each scrape. */
  readonly connectedSockets = new Gauge({
    name: 'chat_connected_sockets',
    help: 'Open socket.io connections in this process',
    registers: [this.registry],
    collect: () => {
      if (this.socketCounts) this.connectedSockets.set(this.socketCounts().sockets);
    },
  });

  /** Distinct users with at least one authenticated socket in this process; read on each scrape. */
  readonly authenticatedUsers = new Gauge({
    name: 'chat_authenticated_users',
    help: 'Distinct users with at least one authenticated socket in this process',
    registers: [this.registry],
    collect: () => {
      if (this.socketCounts) this.authenticatedUsers.set(this.socketCounts().users);
    },
  });

  /** Messages durably stored, by kind (`text` from users, `notice` from the service). */
  readonly messagesStored = new Counter({
    name: 'chat_messages_stored_total',
    help: 'Messages stored',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** `chat:message` events written to sockets: one per receiving socket (every tab of every member). */
  readonly messagesFannedOut = new Counter({
    name: 'chat_messages_fanned_out_total',
    help: 'Message events delivered to sockets',
    registers: [this.registry],
  });

  /** From receiving a socket request to calling its ack, by event name and outcome. */
  readonly ackLatency = new Histogram({
    name: 'chat_socket_ack_latency_seconds',
    help: 'Time from receiving a socket request to acknowledging it',
    labelNames: ['event', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Duration of storage port calls, by `<store>.<method>`. */
  readonly storeQueryLatency = new Histogram({
    name: 'chat_store_query_latency_seconds',
    help: 'Duration of storage calls',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Socket events refused by the per-socket rate limit, by event name. */
  readonly rateLimitedEvents = new Counter({
    name: 'chat_rate_limited_events_total',
    help: 'Socket events refused by the rate limit',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  /** Socket events refused for any other reason (invalid payload, not allowed, too large), by event and error code. */
  readonly rejectedEvents = new Counter({
    name: 'chat_rejected_events_total',
    help: 'Socket events refused for a reason other than the rate limit',
    labelNames: ['event', 'code'] as const,
    registers: [this.registry],
  });

  /** How late the event loop ran its timers (event-loop-delay.ts). */
  readonly eventLoopDelay = registerEventLoopDelay(this.registry);

  private socketCounts: (() => { sockets: number; users: number }) | null = null;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Starts a timer; call the returned function when the ack goes out. */
  startAck(event: string): (outcome: 'ok' | 'error') => void {
    const end = this.ackLatency.startTimer({ event });
    return (outcome) => {
      end({ outcome });
    };
  }

  /** Where the two socket gauges read their values when scraped. */
  countSocketsWith(counts: () => { sockets: number; users: number }): void {
    this.socketCounts = counts;
  }

  /** The Prometheus text exposition of every instrument. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
