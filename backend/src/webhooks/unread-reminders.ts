import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { PresenceRegistry } from '../presence/presence-registry.js';
import type { EventRecord, LeaseStore, NewEvent, Storage } from '../storage/storage.js';

export interface UnreadReminderOptions {
  /** How long after a message a recipient who has not read it and has no connected socket is reported. */
  delayMs: number;
  pollMs: number;
  leaseMs: number;
}

/** The reminder for one recipient of one message: its id is derived, so it is logged once whoever derives it. */
export function unreadReminderEvent(message: { id: string; chatId: string }, userId: string): NewEvent {
  return { id: `evt_unread_${message.id}_${userId}`, type: 'message.unread_for_offline_user', chatId: message.chatId, messageId: message.id, userId };
}

const LEASE = 'webhook:unread-reminders';
const SCAN_LIMIT = 500;
/** How far back a process that takes the work over looks again (reminder ids make a second look harmless). */
const LOOK_BACK_EVENTS = 5000;

/**
 * Derives `message.unread_for_offline_user`: once a message is `delayMs` old, each member who
 * has not read it (read position below its seq), has not muted the chat, is not its sender and
 * has no connected socket in any process (shared presence with REDIS_URL) gets one event,
 * appended to the log like any other. A message read, or deleted, before the delay is over gets none.
 *
 * One process does this at a time (a lease). It walks the log with a cursor kept in memory;
 * a process that takes over starts LOOK_BACK_EVENTS before the head and only considers messages
 * younger than twice the delay plus a minute. A reminder's id is derived from the message and
 * the user, so one found twice is logged once.
 */
export class UnreadReminders {
  private readonly holder = `${process.pid}:${randomBytes(4).toString('hex')}`;
  private cursor: number | null = null;
  /** When the oldest event after the cursor becomes due: until then there is nothing to read. */
  private nextDueAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly leases: LeaseStore,
    private readonly presence: PresenceRegistry,
    private readonly logger: Logger,
    private readonly options: UnreadReminderOptions,
  ) {}

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.leases.release(LEASE, this.holder).catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'webhooks: unread reminders failed'))
        .finally(() => {
          this.running = null;
          this.schedule();
        });
    }, this.options.pollMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (!(await this.leases.acquire(LEASE, this.holder, this.options.leaseMs))) {
      this.cursor = null;
      this.nextDueAt = null;
      return;
    }
    this.cursor ??= Math.max(0, (await this.storage.events.headPosition()) - LOOK_BACK_EVENTS);
    const now = Date.now();
    // The log is in the order events were written, so nothing after that event is due before it.
    // Reading it again every poll meanwhile would cost a range read of the log (a whole-log scan
    // on FerretDB 1.x) for nothing.
    if (this.nextDueAt !== null && now < this.nextDueAt) return;
    this.nextDueAt = null;
    const oldestConsidered = now - 2 * this.options.delayMs - 60_000;
    for (;;) {
      const events = await this.storage.events.after(this.cursor, SCAN_LIMIT);
      for (const event of events) {
        const at = Date.parse(event.createdAt);
        if (at + this.options.delayMs > now) {
          // Not due yet; neither is anything after it.
          this.nextDueAt = at + this.options.delayMs;
          return;
        }
        if (event.type === 'message.created' && at >= oldestConsidered) await this.remind(event);
        this.cursor = event.position;
      }
      if (events.length < SCAN_LIMIT) return;
    }
  }

  private async remind(event: EventRecord): Promise<void> {
    const message = event.messageId ? await this.storage.messages.byId(event.messageId) : null;
    if (!message || message.deletedAt !== null) return;
    const members = await this.storage.members.list(message.chatId);
    const unread = members
      .filter((member) => member.userId !== message.senderId && member.readSeq < message.seq && member.notify !== 'muted')
      .map((member) => member.userId);
    if (unread.length === 0) return;
    const online = await this.presence.onlineAmong(unread);
    const reminders: NewEvent[] = unread.filter((userId) => !online.has(userId)).map((userId) => unreadReminderEvent(message, userId));
    await this.storage.events.append(reminders);
  }
}
