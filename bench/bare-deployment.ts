/** Starts bench/bare-server.ts as a child process and waits for its port. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BARE_SERVER = fileURLToPath(new URL('./bare-server.ts', import.meta.url));

export interface BareServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `env` is added to this process's environment (e.g. NODE_OPTIONS for a CPU profile). */
export async function startBareServer(env: Record<string, string> = {}): Promise<BareServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', BARE_SERVER], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare server did not start within 30 s')), 30_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve((message as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bare server exited (${code})`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
