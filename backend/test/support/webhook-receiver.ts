/**
 * A host's webhook endpoint on loopback, for the webhook tests: it verifies each delivery's
 * Standard Webhooks signature with the secret it was given (answering 401 when it does not
 * match, as a host would), and records what it accepted. It can be taken down and brought back
 * on the same port, and can hold requests unanswered until released.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WebhookBatch, WebhookEvent } from '../../../shared/src/schemas/webhooks.js';
import { verifyWebhook } from '../../src/webhooks/webhook-signature.js';

export interface ReceivedDelivery {
  webhookId: string;
  batch: WebhookBatch;
}

export class WebhookReceiver {
  /** Deliveries accepted (signature good, answered 2xx), in arrival order. */
  readonly accepted: ReceivedDelivery[] = [];
  /** Deliveries refused because the signature did not verify. */
  rejected = 0;
  /** Requests that arrived, whatever became of them. */
  arrivals = 0;
  /** Requests held open right now. */
  holding = 0;
  /** Answer every accepted delivery with this status (500 plays a failing host). */
  status = 200;
  private hold: Promise<void> | null = null;
  private releaseHold: (() => void) | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    public secret: string,
    public port: number,
  ) {}

  static async start(secret: string, port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(secret, port);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Every event accepted, in arrival order, duplicates included. */
  events(): WebhookEvent[] {
    return this.accepted.flatMap((delivery) => delivery.batch.events);
  }

  /** Listens (again) on its port. */
  async up(): Promise<void> {
    const server = createServer((req, res) => void this.answer(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every connection: deliveries are refused. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on, requests wait (unanswered) until `release`. */
  holdRequests(): void {
    this.hold ??= new Promise<void>((resolve) => {
      this.releaseHold = resolve;
    });
  }

  release(): void {
    this.releaseHold?.();
    this.hold = null;
    this.releaseHold = null;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.arrivals++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.hold) {
      this.holding++;
      await this.hold;
      this.holding--;
    }
    const header = (name: string) => String(req.headers[name] ?? '');
    const signed = verifyWebhook(this.secret, { id: header('webhook-id'), timestamp: header('webhook-timestamp'), signature: header('webhook-signature') }, body);
    if (!signed) {
      this.rejected++;
      res.writeHead(401).end('bad signature');
      return;
    }
    if (this.status >= 200 && this.status < 300) this.accepted.push({ webhookId: header('webhook-id'), batch: JSON.parse(body) as WebhookBatch });
    res.writeHead(this.status).end();
  }

  async close(): Promise<void> {
    this.release();
    await this.down();
  }
}
