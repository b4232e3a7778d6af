import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { startChatServer, type ChatServer } from '../src/chat-server.js';
import { parseEnvironment, type Config } from '../src/config.js';

export interface TestServer {
  server: ChatServer;
  /** http://127.0.0.1:<port> */
  url: string;
  config: Config;
  /** Stops the server and deletes its data directory. */
  close(): Promise<void>;
}

/**
 * The real chat server on a free port with a fresh SQLite file in a temp directory, cheap
 * bcrypt (no per-address bcrypt limit), a random JWT secret, no logs and no static app. `overrides` win over all of it.
 */
export async function startTestServer(overrides: Partial<Config> = {}, logger?: Logger): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'chat-test-'));
  const config: Config = {
    ...parseEnvironment({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      // Every test client registers and signs in from 127.0.0.1: lift the per-address bcrypt
      // limit (the tests of that limit set their own).
      BCRYPT_PER_IP_PER_MINUTE: '100000',
      LOG_LEVEL: 'silent',
      STATIC_DIR: join(dataDir, 'no-static-app'),
      WIDGET_DIR: join(dataDir, 'no-widget'),
    }),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ...overrides,
  };
  let server: ChatServer;
  try {
    server = await startChatServer(config, logger ?? pino({ level: config.LOG_LEVEL }));
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    url: server.url,
    config,
    async close() {
      try {
        await server.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
