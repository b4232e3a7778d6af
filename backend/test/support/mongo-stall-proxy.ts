/**
 * A loopback TCP proxy in front of a MongoDB-wire server (FerretDB) that can stall on one
 * command: once armed with a command name, the first client message that runs that command is
 * held, and from then on nothing more passes on that connection in either direction — as if
 * the server froze at exactly that point. Other connections keep working, so the driver's own
 * monitoring does not notice first. This makes "the store stops answering in the middle of a
 * write" a deterministic test instead of a race against SIGSTOP.
 *
 * Only the framing it needs is read: each wire message starts with its int32 length; an
 * OP_MSG (opCode 2013) carries, after its flag bits, a kind-0 section whose BSON document's
 * first key is the command name.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { LOOPBACK } from './loopback-process.js';

const OP_MSG = 2013;

export class MongoStallProxy {
  private armedFor: string | null = null;
  private armedCollection: string | null = null;
  private stalled = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(upstreamPort: number): Promise<MongoStallProxy> {
    let proxy: MongoStallProxy | null = null;
    const server = createServer((client) => proxy?.relay(client, upstreamPort));
    await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
    proxy = new MongoStallProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  get uri(): string {
    return `mongodb://${LOOPBACK}:${this.port}/`;
  }

  /**
   * The next message running `command` (e.g. "insert") stalls its connection for good; with
   * `collection`, only one running it on that collection (e.g. "messages", not the search
   * postings written in the background).
   */
  stallOn(command: string, collection?: string): void {
    this.armedFor = command;
    this.armedCollection = collection ?? null;
  }

  /** How many connections have stalled so far. */
  get stalledConnections(): number {
    return this.stalled;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, upstreamPort: number): void {
    const upstream = createConnection({ host: LOOPBACK, port: upstreamPort });
    this.sockets.add(client).add(upstream);
    let frozen = false;
    let pending = Buffer.alloc(0);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    upstream.on('data', (chunk: Buffer) => {
      if (!frozen) client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      if (frozen) return;
      pending = Buffer.concat([pending, chunk]);
      // Forward whole messages only, so a stall falls exactly before the armed command.
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        const command = commandOf(message);
        if (this.armedFor !== null && command?.name === this.armedFor && (this.armedCollection === null || command.target === this.armedCollection)) {
          this.armedFor = null;
          this.stalled += 1;
          frozen = true;
          return;
        }
        upstream.write(message);
      }
    });
  }
}

/** The command an OP_MSG runs: the first key of its body document, and its value when a string (the collection); null for anything else. */
function commandOf(message: Buffer): { name: string; target: string | null } | null {
  if (message.length < 26 || message.readInt32LE(12) !== OP_MSG) return null;
  // header (16) + flag bits (4); then sections: the body is the kind-0 one.
  let offset = 20;
  while (offset < message.length) {
    const kind = message.readUInt8(offset);
    if (kind === 0) {
      // int32 document size, then the first element: a type byte and a NUL-terminated name.
      const type = message.readUInt8(offset + 1 + 4);
      const nameStart = offset + 1 + 4 + 1;
      const nameEnd = message.indexOf(0, nameStart);
      if (nameEnd <= nameStart) return null;
      const name = message.toString('utf8', nameStart, nameEnd);
      // A string element: int32 length (with its NUL), then the bytes.
      const target = type === 0x02 ? message.toString('utf8', nameEnd + 5, nameEnd + 5 + message.readInt32LE(nameEnd + 1) - 1) : null;
      return { name, target };
    }
    // kind 1: int32 size (which includes itself) of a document sequence.
    offset += 1 + message.readInt32LE(offset + 1);
  }
  return null;
}
