import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ImageRefusedError, makeAvatar, makeImageVariants, type ImageVariants } from './image-variants.js';

/** How much lower the picture process runs than the server (nice): the chat's event loop comes first. */
export const IMAGE_PROCESS_NICENESS = 10;

type ImageRequest =
  | { id: number; op: 'variants'; bytes: Uint8Array; mime: string; maxPixels: number }
  | { id: number; op: 'avatar'; bytes: Uint8Array; maxPixels: number };

type ImageReply =
  | { id: number; ok: true; variants: ImageVariants }
  | { id: number; ok: true; avatar: Uint8Array }
  | { id: number; ok: false; refused: boolean; message: string };

type RequestWithoutId = ImageRequest extends infer R ? (R extends ImageRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (reply: ImageReply) => void;
  reject: (error: Error) => void;
}

/**
 * Decodes and encodes pictures (image-variants.ts) in a process of its own, started on the first
 * picture, at a lower priority than the server. sharp's work never runs on the event loop anyway
 * (it runs on libuv's pool), but on the same cores: ten 12-megapixel pictures at once took the
 * core from the event loop, and chat messages waited 70–110 ms. Niced, the picture work takes
 * what the event loop leaves. A picture that crashes the decoder takes down only this process; the
 * next picture starts another.
 */
export class ImageWorker {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  /** @throws ImageRefusedError for a picture that cannot be read or has too many pixels. */
  async variants(bytes: Buffer, mime: string, maxPixels: number): Promise<ImageVariants> {
    const reply = await this.ask({ op: 'variants', bytes, mime, maxPixels });
    if (!('variants' in reply)) throw new Error('the picture process answered out of turn');
    const { variants } = reply;
    return { ...variants, original: variants.original && asBuffer(variants.original), thumb: asBuffer(variants.thumb), preview: asBuffer(variants.preview) };
  }

  /** @throws ImageRefusedError for a picture that cannot be read or has too many pixels. */
  async avatar(bytes: Buffer, maxPixels: number): Promise<Buffer> {
    const reply = await this.ask({ op: 'avatar', bytes, maxPixels });
    if (!('avatar' in reply)) throw new Error('the picture process answered out of turn');
    return asBuffer(reply.avatar);
  }

  /** Stops the process; pictures still in work fail. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }

  /** The process's id once started (tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async ask(request: RequestWithoutId): Promise<ImageReply> {
    if (this.closed) throw new Error('the picture process is stopped');
    const child = this.started();
    const id = this.nextId++;
    const reply = await new Promise<ImageReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ ...request, id } as ImageRequest, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
    if (reply.ok) return reply;
    throw reply.refused ? new ImageRefusedError(reply.message) : new Error(`the picture process failed: ${reply.message}`);
  }

  private started(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    // The server's own loader (tsx) comes along through execArgv; Buffers cross as structured clones.
    const child = fork(fileURLToPath(import.meta.url), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      setPriority(child.pid!, IMAGE_PROCESS_NICENESS);
    } catch {
      // Not allowed here: it runs at the server's priority.
    }
    child.on('message', (reply: ImageReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      waiting.resolve(reply);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const error = new Error(`the picture process stopped (${signal ?? code})`);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    });
    child.on('error', () => {
      // 'exit' follows and fails what was waiting.
    });
    this.child = child;
    return child;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The process's side: each request as it comes (the server sends at most two at a time), answered by id. */
function serveImages(): void {
  process.on('message', (request: ImageRequest) => {
    const bytes = asBuffer(request.bytes);
    const work =
      request.op === 'variants'
        ? makeImageVariants(bytes, request.mime, request.maxPixels).then((variants): ImageReply => ({ id: request.id, ok: true, variants }))
        : makeAvatar(bytes, request.maxPixels).then((avatar): ImageReply => ({ id: request.id, ok: true, avatar }));
    void work
      .catch(
        (error: unknown): ImageReply => ({
          id: request.id,
          ok: false,
          refused: error instanceof ImageRefusedError,
          message: error instanceof Error ? error.message : String(error),
        }),
      )
      .then((reply) => process.send!(reply));
  });
  // The server went away: so does this process.
  process.on('disconnect', () => process.exit(0));
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) serveImages();
