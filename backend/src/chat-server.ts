import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AccessTokens } from './accounts/access-tokens.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/create-http-app.js';
import { createStorage } from './storage/create-storage.js';
import type { Storage } from './storage/storage.js';

export interface ChatServer {
  httpServer: HttpServer;
  storage: Storage;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The composition root's body. Wiring order:
 *   1. storage (SQLite or MongoDB), migrations run on open
 *   2. token signer, then the use cases (accounts, chats, messages, receipts, presence)
 *   3. the HTTP server and socket.io attached to it; live updates reach sockets through rooms
 *   4. express routes (REST calls the same use cases), static app, error handler
 *   5. listen
 * close() runs it backwards: stop accepting, close sockets, close storage.
 */
export async function startChatServer(config: Config, logger: Logger): Promise<ChatServer> {
  const storage = await createStorage(config, logger);
  const accessTokens = new AccessTokens(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_S);
  const httpServer = createServer();

  const app = createHttpApp({ config, logger, storage, accessTokens });
  httpServer.on('request', app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ port }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    httpServer,
    storage,
    port,
    url,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
        await storage.close();
      })();
      return closing;
    },
  };
}
