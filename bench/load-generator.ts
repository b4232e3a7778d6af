/** The benchmark's side of a load-client process: spawns it and turns its IPC replies into promises. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientSpec, FromLoadClient, RunResult, RunSpec, TargetKind, ToLoadClient } from './load-protocol.js';
import { pin } from './pinning.js';

const LOAD_CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));
const REPLY_TIMEOUT_MS = 180_000;

export class LoadGenerator {
  private readonly waiting: Array<{ resolve: (message: FromLoadClient) => void; reject: (error: Error) => void }> = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message) => this.waiting.shift()?.resolve(message as FromLoadClient));
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.splice(0)) waiter.reject(new Error(`load client exited (${code ?? signal})`));
    });
  }

  static spawn(options: { maxOpenFiles?: number } = {}): LoadGenerator {
    const nodeArgs = ['--import', 'tsx', LOAD_CLIENT];
    const stdio: Array<'inherit' | 'ipc' | 'ignore'> = ['ignore', 'inherit', 'inherit', 'ipc'];
    const child = options.maxOpenFiles
      ? spawn('/bin/sh', ['-c', `ulimit -n ${options.maxOpenFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`, process.execPath, ...nodeArgs], { stdio })
      : spawn(process.execPath, nodeArgs, { stdio });
    return new LoadGenerator(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  async connect(kind: TargetKind, clients: ClientSpec[], concurrency = 50): Promise<{ clients: number; failed: number; elapsedMs: number; firstError?: string }> {
    const reply = await this.ask({ type: 'connect', kind, clients, concurrency });
    if (reply.type !== 'connected') throw new Error(`load client: ${reply.type === 'error' ? reply.message : reply.type}`);
    return reply;
  }

  /**
   * The product's clients, one per seeded user in their room, after pinning the server to core 0
   * and this generator to core 1 when `pinned`. Throws when any client cannot connect.
   */
  async connectToProduct(server: { pid: number; url: string }, users: ReadonlyArray<{ token: string; chatId: string }>, pinned: boolean): Promise<void> {
    if (pinned) {
      pin(server.pid, 0);
      pin(this.pid, 1);
    }
    const connect = await this.connect('product', users.map((user) => ({ url: server.url, token: user.token, room: user.chatId })));
    if (connect.failed > 0) throw new Error(`${connect.failed} clients could not connect: ${connect.firstError}`);
  }

  async run(run: RunSpec): Promise<RunResult> {
    const reply = await this.ask({ type: 'run', run });
    if (reply.type !== 'result') throw new Error(`load client: ${reply.type === 'error' ? reply.message : reply.type}`);
    // IPC carries JSON, which turns NaN (no samples) into null: turn it back.
    for (const summary of [reply.result.latency, reply.result.ackLatency]) {
      for (const key of Object.keys(summary) as Array<keyof typeof summary>) summary[key] ??= NaN;
    }
    reply.result.sendLagMaxMs ??= NaN;
    reply.result.sendLagP99Ms ??= NaN;
    return reply.result;
  }

  /** Closes its sockets and lets it exit; kills it if it lingers. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.child.send({ type: 'close' } satisfies ToLoadClient);
    } catch {
      this.child.kill('SIGKILL');
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private ask(message: ToLoadClient): Promise<FromLoadClient> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`load client gave no answer to ${message.type}`)), REPLY_TIMEOUT_MS);
      this.waiting.push({
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send(message);
    });
  }
}
