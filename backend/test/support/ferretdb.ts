/**
 * FerretDB (the MongoDB wire protocol over SQLite) on a free loopback port with its own temp
 * data directory, so the MongoDB adapter runs without a MongoDB server: for the contract test
 * (`npm run test:mongo`), the benchmark, and the store-fault test, which stops, freezes and
 * restarts it on the same port and data.
 *
 * The binary is the first of these that runs: $FERRETDB_BIN, `ferretdb` on PATH,
 * $HOME/go/bin/ferretdb. ("Runs" means `ferretdb --version` exits 0: a build made without its
 * version file panics at start-up, and is passed over.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, onPath } from './find-executable.js';
import { acceptsConnections, LOOPBACK, startLoopbackProcess, startOnFreePort, type LoopbackProcess } from './loopback-process.js';

/** A throw-away FerretDB; `stop()` ends it and removes its data. */
export function startFerretDb(): Promise<FerretDb> {
  return FerretDb.start();
}

export class FerretDb {
  private process: LoopbackProcess | null = null;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly directory: string,
  ) {}

  static async start(): Promise<FerretDb> {
    const binary = findFerretDbBinary();
    const directory = mkdtempSync(join(tmpdir(), 'chat-ferretdb-'));
    try {
      return await startOnFreePort(async (port) => {
        const ferret = new FerretDb(binary, port, directory);
        await ferret.resume();
        return ferret;
      });
    } catch (error) {
      rmSync(directory, { recursive: true, force: true });
      throw error;
    }
  }

  /** mongodb://127.0.0.1:<port>/ — append a database name. */
  get uri(): string {
    return `mongodb://${LOOPBACK}:${this.port}/`;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** Starts the process (again) on the same port and data directory, and waits until it listens. */
  async resume(): Promise<void> {
    if (this.process) throw new Error('ferretdb is already running');
    this.process = await startLoopbackProcess({
      name: 'ferretdb',
      command: this.binary,
      args: [
        '--handler=sqlite',
        `--sqlite-url=file:${this.directory}/`,
        `--listen-addr=${LOOPBACK}:${this.port}`,
        '--telemetry=disable',
        `--state-dir=${this.directory}`,
        `--debug-addr=${LOOPBACK}:0`,
        '--log-level=error',
      ],
      port: this.port,
      isReady: () => acceptsConnections(this.port),
      startTimeoutMs: 15_000,
      stopTimeoutMs: 5_000,
    });
  }

  /** Stops exactly this process (SIGTERM unless told; SIGKILL plays a crash). The data stays. */
  async halt(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const running = this.process;
    this.process = null;
    await running?.stop(signal);
  }

  /** Freezes the process (SIGSTOP): it keeps its connections open but answers nothing. */
  freeze(): void {
    this.process?.freeze();
  }

  /** Lets a frozen process go on (SIGCONT). */
  thaw(): void {
    this.process?.thaw();
  }

  /** Stops it and deletes its data. */
  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

function findFerretDbBinary(): string {
  return findExecutable('ferretdb', [process.env['FERRETDB_BIN'], ...onPath('ferretdb'), join(homedir(), 'go', 'bin', 'ferretdb')], {
    works: (candidate) => spawnSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0,
    hint:
      'Install FerretDB 1.x (go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2 needs ' +
      'build/version/version.txt) or set FERRETDB_BIN.',
  });
}
