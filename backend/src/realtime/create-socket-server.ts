import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../../shared/src/socket-events.js';
import type { Config } from '../config.js';

export type ChatIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * socket.io on the HTTP server. A frame larger than MAX_SOCKET_PAYLOAD_BYTES closes the
 * connection. Browsers may connect from the same origin, or from an origin listed in
 * CORS_ORIGINS (empty: same origin only) — checked for the WebSocket upgrade too, which CORS
 * alone does not cover. Clients without an Origin header (not browsers) are let through;
 * they still have to authenticate.
 */
export function createSocketServer(httpServer: HttpServer, config: Pick<Config, 'MAX_SOCKET_PAYLOAD_BYTES' | 'CORS_ORIGINS'>): ChatIo {
  const allowedOrigins = new Set(config.CORS_ORIGINS);
  return new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer, {
    maxHttpBufferSize: config.MAX_SOCKET_PAYLOAD_BYTES,
    transports: ['websocket', 'polling'],
    serveClient: false,
    ...(allowedOrigins.size > 0 && { cors: { origin: [...allowedOrigins], methods: ['GET', 'POST'] } }),
    allowRequest: (request, callback) => callback(null, originAllowed(request, allowedOrigins)),
  });
}

function originAllowed(request: IncomingMessage, allowedOrigins: Set<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.has(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
