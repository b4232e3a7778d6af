/**
 * A FerretDB (SQLite handler) that a test can stop and start again on the same port and data
 * directory, to play a database outage. (ferretdb.ts starts a throw-away one and removes its data
 * on stop; this one keeps the data until `remove()`.)
 *
 * The binary is the first that exists of $FERRETDB_BIN, `ferretdb` on PATH, $HOME/go/bin/ferretdb.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './redis-server.js';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 15_000;

export class RestartableFerretDb {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly directory: string,
  ) {}

  /** mongodb://127.0.0.1:<port>/ — append a database name. */
  get uri(): string {
    return `mongodb://${HOST}:${this.port}/`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  static async start(): Promise<RestartableFerretDb> {
    const ferret = new RestartableFerretDb(findBinary(), await freePort(), mkdtempSync(join(tmpdir(), 'chat-ferret-')));
    try {
      await ferret.resume();
    } catch (error) {
      await ferret.remove();
      throw error;
    }
    return ferret;
  }

  /** Starts the process (again) on the same port and directory, and waits until it listens. */
  async resume(): Promise<void> {
    if (this.child) throw new Error('ferretdb is already running');
    const child = spawn(
      this.binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${this.directory}/`,
        `--listen-addr=${HOST}:${this.port}`,
        '--telemetry=disable',
        `--state-dir=${this.directory}`,
        `--debug-addr=${HOST}:0`,
        '--log-level=error',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output = (this.output + chunk).slice(-4_000);
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = null;
        throw new Error(`ferretdb exited (${child.exitCode ?? child.signalCode}): ${this.output.trim()}`);
      }
      if (await accepts(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.halt('SIGKILL');
    throw new Error(`ferretdb did not listen on ${HOST}:${this.port}: ${this.output.trim()}`);
  }

  /** Stops exactly this process (SIGTERM by default; SIGKILL plays a crash). The data stays. */
  async halt(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Freezes the process (SIGSTOP): it keeps its connections open but answers nothing. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a frozen process go on (SIGCONT). */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops it and deletes its data. */
  async remove(): Promise<void> {
    await this.halt();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

function findBinary(): string {
  const candidates = [
    process.env['FERRETDB_BIN'],
    ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((folder) => join(folder, 'ferretdb')),
    join(homedir(), 'go', 'bin', 'ferretdb'),
  ].filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  throw new Error(`no ferretdb binary: tried ${candidates.join(', ')}; set FERRETDB_BIN`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
