import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { EventRecord, LeaseStore, Storage, WebhookRecord } from '../storage/storage.js';
import { retryDelayMs } from './retry-backoff.js';
import { buildBatch } from './webhook-batch.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';
import { signWebhook } from './webhook-signature.js';

export interface DispatcherOptions {
  /** How often every subscription is looked at. */
  pollMs: number;
  /** How long a lease lasts without renewal; it is renewed every third of it while held. */
  leaseMs: number;
  /** The most events in one delivery. */
  batchSize: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Failing for this long pauses the subscription. */
  pauseAfterMs: number;
  /** Events older than this are pruned from the log (about once an hour). */
  retentionMs: number;
  allowPrivate: boolean;
}

const PRUNE_EVERY_MS = 3_600_000;
/** How often the writes a crash interrupted are looked for, and how old their intents must be (MongoDB's outbox). */
const RECOVER_EVERY_MS = 30_000;

/** How many log entries one look reads to fill a batch for a subscription with a narrow filter. */
const SCAN_LIMIT = 1000;
/** Batches in a row for one subscription before others get their turn. */
const BATCHES_PER_TURN = 20;

/**
 * Delivers every active subscription's events in order, from its cursor, in signed batches.
 * Runs in every process; a lease per subscription (`webhook:<id>`, in Redis or the store) lets
 * one process deliver it at a time. The holder renews the lease while it works; when it dies,
 * the lease runs out and another process takes over from the stored cursor. A batch the dead
 * holder had sent but not recorded is sent again, with the same event ids.
 *
 * A failed delivery is retried with exponential backoff and jitter (retry-backoff.ts); failing
 * for `pauseAfterMs` pauses the subscription (inactive, with the reason) until an admin resumes it.
 */
export class WebhookDispatcher {
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private wakeRequested = false;
  private readonly held = new Set<string>();
  /** The subscriptions this process is working on now. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Abandons the deliveries in flight when the process stops (their batches go again later). */
  private readonly closing = new AbortController();
  private lastPruneAt = 0;
  private lastRecoverAt = 0;

  constructor(
    private readonly storage: Storage,
    private readonly leases: LeaseStore,
    private readonly logger: Logger,
    private readonly options: DispatcherOptions,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Looks again soon (a subscription was created, resumed or replayed). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.wakeRequested = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.closing.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.all(this.inFlight.values());
    await Promise.all([...this.held].map((id) => this.leases.release(leaseName(id), this.holder).catch(() => undefined)));
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        const again = this.wakeRequested;
        this.wakeRequested = false;
        this.schedule(again ? 0 : this.options.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let subscriptions: WebhookRecord[];
    try {
      subscriptions = await this.storage.webhooks.list();
    } catch (error) {
      this.logger.warn({ err: error }, 'webhooks: could not read the subscriptions');
      return;
    }
    const now = Date.now();
    if (now - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = now;
      await this.storage.events
        .pruneBefore(new Date(now - this.options.retentionMs).toISOString())
        .catch((error: unknown) => this.logger.warn({ err: error }, 'webhooks: pruning the event log failed'));
    }
    if (now - this.lastRecoverAt >= RECOVER_EVERY_MS) {
      this.lastRecoverAt = now;
      await this.storage.events
        .recoverInterrupted(new Date(now - RECOVER_EVERY_MS).toISOString())
        .catch((error: unknown) => this.logger.warn({ err: error }, 'webhooks: recovering interrupted events failed'));
    }
    for (const subscription of subscriptions) {
      if (this.inFlight.has(subscription.id)) continue;
      const work = this.serve(subscription, now).finally(() => this.inFlight.delete(subscription.id));
      this.inFlight.set(subscription.id, work);
    }
  }

  /** One look at one subscription; runs beside the others, so a slow receiver holds up only its own subscription. */
  private async serve(subscription: WebhookRecord, now: number): Promise<void> {
    if (!subscription.active) return this.letGo(subscription.id);
    if (subscription.nextAttemptAt && Date.parse(subscription.nextAttemptAt) > now) {
      // Keep the lease while waiting to retry, so the retry stays with this process.
      if (this.held.has(subscription.id)) await this.renew(subscription.id);
      return;
    }
    if (!(await this.renew(subscription.id))) return;
    try {
      await this.deliver(subscription);
    } catch (error) {
      this.logger.warn({ err: error, webhookId: subscription.id }, 'webhooks: delivery round failed');
    }
  }

  private async renew(id: string): Promise<boolean> {
    try {
      const ok = await this.leases.acquire(leaseName(id), this.holder, this.options.leaseMs);
      if (ok) this.held.add(id);
      else this.held.delete(id);
      return ok;
    } catch (error) {
      this.logger.warn({ err: error }, 'webhooks: lease store unavailable');
      this.held.delete(id);
      return false;
    }
  }

  private async letGo(id: string): Promise<void> {
    if (!this.held.delete(id)) return;
    await this.leases.release(leaseName(id), this.holder).catch(() => undefined);
  }

  /** Batches from the cursor until caught up, a failure, or the turn is over. */
  private async deliver(subscription: WebhookRecord): Promise<void> {
    let cursor = subscription.cursor;
    for (let turn = 0; turn < BATCHES_PER_TURN && !this.stopped; turn++) {
      const scanned = await this.storage.events.after(cursor, SCAN_LIMIT);
      if (scanned.length === 0) return;
      const wanted = new Set(subscription.events);
      const batch: EventRecord[] = [];
      let upTo = scanned.at(-1)!.position;
      for (const event of scanned) {
        if (!wanted.has(event.type)) continue;
        batch.push(event);
        if (batch.length === this.options.batchSize) {
          upTo = event.position;
          break;
        }
      }
      const at = new Date().toISOString();
      if (batch.length > 0) {
        const result = await this.post(subscription, batch);
        if (!result.ok) {
          // Abandoned (lease lost, or this process stopping) is no failure of the receiver.
          if (!result.abandoned) await this.recordFailure(subscription, result.error);
          return;
        }
      }
      if (!(await this.storage.webhooks.delivered(subscription.id, cursor, upTo, at))) return; // replayed meanwhile
      cursor = upTo;
    }
    this.wake();
  }

  /** Sends one batch, renewing the lease while it is out; losing the lease abandons it. */
  private async post(subscription: WebhookRecord, events: EventRecord[]): Promise<SendResult> {
    const body = JSON.stringify(await buildBatch(this.storage, subscription.id, events));
    const id = `msg_${subscription.id}_${events[0]!.position}_${events.at(-1)!.position}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(subscription.secret, id, timestamp, body),
    };
    const abandon = new AbortController();
    const onClosing = () => abandon.abort();
    this.closing.signal.addEventListener('abort', onClosing, { once: true });
    const renewal = setInterval(() => {
      void this.renew(subscription.id).then((ok) => {
        if (!ok) abandon.abort();
      });
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    try {
      return await sendWebhook(subscription.url, headers, body, {
        timeoutMs: this.options.timeoutMs,
        allowPrivate: this.options.allowPrivate,
        signal: abandon.signal,
      });
    } finally {
      clearInterval(renewal);
      this.closing.signal.removeEventListener('abort', onClosing);
    }
  }

  private async recordFailure(subscription: WebhookRecord, error: string): Promise<void> {
    const now = Date.now();
    const failingSince = subscription.failingSince ?? new Date(now).toISOString();
    const attempts = subscription.attempts + 1;
    const pause = now - Date.parse(failingSince) >= this.options.pauseAfterMs;
    const hours = Math.round((this.options.pauseAfterMs / 3_600_000) * 100) / 100;
    await this.storage.webhooks.failed(subscription.id, {
      failingSince,
      lastError: error,
      lastAttemptAt: new Date(now).toISOString(),
      nextAttemptAt: new Date(now + retryDelayMs(attempts, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs })).toISOString(),
      attempts,
      ...(pause && { active: false, pausedReason: `Paused after ${hours} h of failed deliveries; last error: ${error}` }),
    });
    this.logger.warn({ webhookId: subscription.id, attempts, error, paused: pause }, 'webhooks: delivery failed');
  }
}

function leaseName(id: string): string {
  return `webhook:${id}`;
}
