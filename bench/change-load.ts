/**
 * In the load generator (bench/load-client.ts), with --changes: the edits and reactions mixed
 * into a run, and the `message:changed` deliveries they cause.
 *
 * Which operation is due comes from its index (`kindOf`), spread evenly; which client makes a
 * change rotates through all clients, apart from the messages' rotation. A reaction goes on one of
 * the last RECENT_PER_ROOM messages of the client's room with an emoji from a small set, `on`
 * alternating per (message, emoji) for that client: the client knows its own reactions, so every
 * reaction it sends changes something and takes a change position. An edit replaces the body of
 * one of the client's own last RECENT_OWN messages with a new one. Messages stay known across runs
 * of one generator, so the warm-up gives the measured window something to change from its start.
 *
 * Counting is by change position, per chat: every acknowledged change names the position it took
 * (the message's changeSeq in the ack), and each other member of the room must get
 * `message:changed` with exactly that position once.
 */
import type { Socket } from 'socket.io-client';
import { summarize } from './latency-summary.js';
import type { ChangeFigures, ChangeMix } from './load-protocol.js';

export const REACTION_EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '🙏'];
const RECENT_PER_ROOM = 20;
const RECENT_OWN = 5;

export interface ChangingClient {
  socket: Socket;
  spec: { room: string };
}

type Kind = 'message' | 'react' | 'edit';
type ChangeAck = { ok: boolean; data?: { message: { changeSeq: number } }; error?: { code: string } };

/** Whether the share's running total passes a whole number at operation `index`. */
function crosses(index: number, share: number, phase: number): boolean {
  return Math.floor((index + 1) * share + phase) > Math.floor(index * share + phase);
}

export class ChangeLoad {
  private readonly recentOfRoom = new Map<string, string[]>();
  private readonly recentOwn = new Map<ChangingClient, string[]>();
  /** Per client: the `${messageId} ${emoji}` it has on, and those with a reaction on the way. */
  private readonly reactions = new Map<ChangingClient, { on: Set<string>; inFlight: Set<string> }>();
  private nextReactor = 0;
  private nextEditor = 0;
  private edits = 0;

  // The current run.
  private run = 0;
  private sent = { react: 0, edit: 0 };
  private skipped = 0;
  private acked = 0;
  private answered = 0;
  private ackErrors: Record<string, number> = {};
  /** chatId → changeSeq → who made it and when it was due. */
  private taken = new Map<string, Map<number, { actor: ChangingClient; scheduledAt: number }>>();
  private receipts: Array<{ client: ChangingClient; chatId: string; changeSeq: number; at: number }> = [];

  constructor(
    private readonly mix: ChangeMix,
    private readonly clients: () => readonly ChangingClient[],
    private readonly roomSize: (room: string) => number,
  ) {}

  kindOf(index: number): Kind {
    if (crosses(index, this.mix.react, 0.5)) return 'react';
    if (crosses(index, this.mix.edit, 0)) return 'edit';
    return 'message';
  }

  beginRun(run: number): void {
    this.run = run;
    this.sent = { react: 0, edit: 0 };
    this.skipped = 0;
    this.acked = 0;
    this.answered = 0;
    this.ackErrors = {};
    this.taken = new Map();
    this.receipts = [];
  }

  /** A message the client sent was stored (its ack). */
  noteMessage(client: ChangingClient, messageId: string): void {
    remember(this.recentOfRoom, client.spec.room, messageId, RECENT_PER_ROOM);
    remember(this.recentOwn, client, messageId, RECENT_OWN);
  }

  onChanged(client: ChangingClient, change: { chatId: string; changeSeq: number }, at: number): void {
    this.receipts.push({ client, chatId: change.chatId, changeSeq: change.changeSeq, at });
  }

  send(kind: 'react' | 'edit', scheduledAt: number, padding: string): void {
    const clients = this.clients();
    const client = clients[(kind === 'react' ? this.nextReactor++ : this.nextEditor++) % clients.length]!;
    if (kind === 'react') this.react(client, scheduledAt);
    else this.edit(client, scheduledAt, padding);
  }

  /** Changes not answered yet, plus deliveries still expected for the answered ones. */
  outstanding(): number {
    let expected = 0;
    for (const [chatId, positions] of this.taken) expected += positions.size * (this.roomSize(chatId) - 1);
    return this.sent.react + this.sent.edit - this.answered + Math.max(0, expected - this.receipts.length);
  }

  result(): ChangeFigures {
    const byRecipient = new Map<ChangingClient, Map<string, Set<number>>>();
    let duplicated = 0;
    let unexpected = 0;
    const latencies: number[] = [];
    for (const receipt of this.receipts) {
      const origin = this.taken.get(receipt.chatId)?.get(receipt.changeSeq);
      if (!origin) {
        unexpected += 1;
        continue;
      }
      const chats = byRecipient.get(receipt.client) ?? new Map<string, Set<number>>();
      byRecipient.set(receipt.client, chats);
      const seen = chats.get(receipt.chatId) ?? new Set<number>();
      chats.set(receipt.chatId, seen);
      if (seen.has(receipt.changeSeq)) {
        duplicated += 1;
        continue;
      }
      seen.add(receipt.changeSeq);
      latencies.push(receipt.at - origin.scheduledAt);
    }
    let expected = 0;
    let lost = 0;
    let seqGaps = 0;
    for (const [chatId, positions] of this.taken) {
      const seqs = [...positions.keys()];
      seqGaps += Math.max(...seqs) - Math.min(...seqs) + 1 - seqs.length;
      for (const recipient of this.clients().filter((c) => c.spec.room === chatId)) {
        const seen = byRecipient.get(recipient)?.get(chatId);
        for (const [changeSeq, origin] of positions) {
          if (origin.actor === recipient) continue;
          expected += 1;
          if (!seen?.has(changeSeq)) lost += 1;
        }
      }
    }
    return {
      sent: { ...this.sent },
      skipped: this.skipped,
      acked: this.acked,
      ackErrors: { ...this.ackErrors },
      ackMissing: this.sent.react + this.sent.edit - this.answered,
      expected,
      delivered: latencies.length,
      lost,
      duplicated,
      unexpected,
      seqGaps,
      latency: summarize(latencies),
    };
  }

  private react(client: ChangingClient, scheduledAt: number): void {
    const recent = this.recentOfRoom.get(client.spec.room) ?? [];
    const mine = this.reactions.get(client) ?? { on: new Set<string>(), inFlight: new Set<string>() };
    this.reactions.set(client, mine);
    for (let attempt = 0; attempt < 8 && recent.length > 0; attempt += 1) {
      const messageId = recent[Math.floor(Math.random() * recent.length)]!;
      const emoji = REACTION_EMOJI[Math.floor(Math.random() * REACTION_EMOJI.length)]!;
      const key = `${messageId} ${emoji}`;
      if (mine.inFlight.has(key)) continue;
      const wanted = !mine.on.has(key);
      mine.inFlight.add(key);
      this.sent.react += 1;
      this.emit(client, 'message:react', { chatId: client.spec.room, messageId, emoji, on: wanted }, scheduledAt, (ok) => {
        mine.inFlight.delete(key);
        if (ok && wanted) mine.on.add(key);
        else if (ok) mine.on.delete(key);
      });
      return;
    }
    this.skipped += 1;
  }

  private edit(client: ChangingClient, scheduledAt: number, padding: string): void {
    const own = this.recentOwn.get(client) ?? [];
    if (own.length === 0) {
      this.skipped += 1;
      return;
    }
    const messageId = own[Math.floor(Math.random() * own.length)]!;
    this.edits += 1;
    this.sent.edit += 1;
    const body = `${this.run}|${scheduledAt.toFixed(3)}|edit ${this.edits} ${padding}`;
    this.emit(client, 'message:edit', { chatId: client.spec.room, messageId, body }, scheduledAt, () => {});
  }

  private emit(client: ChangingClient, event: string, payload: object, scheduledAt: number, settled: (ok: boolean) => void): void {
    const run = this.run;
    client.socket.emit(event, payload, (answer: ChangeAck) => {
      settled(answer?.ok === true);
      if (run !== this.run) return;
      this.answered += 1;
      if (answer?.ok && answer.data) {
        this.acked += 1;
        const positions = this.taken.get(client.spec.room) ?? new Map<number, { actor: ChangingClient; scheduledAt: number }>();
        this.taken.set(client.spec.room, positions);
        positions.set(answer.data.message.changeSeq, { actor: client, scheduledAt });
      } else {
        const code = answer?.error?.code ?? 'malformed_ack';
        this.ackErrors[code] = (this.ackErrors[code] ?? 0) + 1;
      }
    });
  }
}

function remember<K>(lists: Map<K, string[]>, key: K, id: string, keep: number): void {
  const list = lists.get(key) ?? [];
  lists.set(key, list);
  list.push(id);
  if (list.length > keep) list.shift();
}
