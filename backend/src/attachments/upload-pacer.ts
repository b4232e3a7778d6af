import { Transform } from 'node:stream';

/** Chunks of all uploads together that one turn of the event loop takes on. */
export const UPLOAD_CHUNKS_PER_TURN = 1;

/**
 * Paces the bodies of uploads so that they cannot crowd out chat traffic: all uploads of the
 * process together get at most `perTurn` chunks through per turn of the event loop, first come
 * first served, and the rest wait for the next turn (their sockets are paused by backpressure
 * meanwhile, so the kernel holds the bytes, not this process).
 *
 * Why: an upload's chunk costs parsing, hashing and a write, about half a millisecond for 64 KiB.
 * With 50 uploads streaming, one turn of the loop would take on 50 of them, tens of milliseconds,
 * and a chat message needs several turns (read, store, sync, answer). Paced, a turn stays a few
 * milliseconds long whatever the number of uploads; when the loop has nothing else to do, turns
 * follow each other at once and uploads go at full speed. Node has no priority between streams,
 * and the stream libraries that throttle do so by bytes per second, not per turn: hence this.
 */
export class UploadPacer {
  private readonly waiting: Array<() => void> = [];
  private used = 0;
  private turnScheduled = false;

  constructor(private readonly perTurn = UPLOAD_CHUNKS_PER_TURN) {
    if (!Number.isInteger(perTurn) || perTurn < 1) throw new RangeError('perTurn must be a whole number of at least 1');
  }

  /** A pass-through for one upload's body, paced with every other upload of this pacer. */
  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => this.take(() => callback(null, chunk)),
    });
  }

  /** Chunks waiting for a later turn. */
  get backlog(): number {
    return this.waiting.length;
  }

  /** Runs `go` in this turn if its budget allows and nobody waits, otherwise in a later one, in order. */
  take(go: () => void): void {
    this.scheduleNextTurn();
    if (this.waiting.length === 0 && this.used < this.perTurn) {
      this.used += 1;
      go();
    } else {
      this.waiting.push(go);
    }
  }

  /** A new budget at the next turn (setImmediate: after the I/O of this one, chat messages among it). */
  private scheduleNextTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      this.used = 0;
      while (this.used < this.perTurn && this.waiting.length > 0) {
        this.used += 1;
        this.waiting.shift()!();
      }
      if (this.waiting.length > 0 || this.used > 0) this.scheduleNextTurn();
    });
  }
}
