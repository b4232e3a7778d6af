import type { Server, Socket } from 'socket.io';
import type { Metrics } from './metrics.js';

/** An ack's answer, as the realtime layer sends it: `{ok: true, data}` or `{ok: false, error: {code}}`. */
interface AckAnswer {
  ok?: unknown;
  error?: { code?: unknown };
}

/**
 * Feeds the socket metrics by watching the socket server from the outside, through socket.io's
 * own hooks, so the realtime handlers need no metrics code:
 * - connected sockets and authenticated users are counted when Prometheus scrapes;
 * - each request's ack is timed from arrival to answer (`ackLatency`, by event and outcome), and
 *   refused requests are counted by error code (`rateLimitedEvents`, `rejectedEvents`);
 * - every `chat:message` written to a socket counts as one fan-out, including messages that
 *   another process published through the Redis adapter.
 */
export function observeSocketServer(io: Server, metrics: Metrics): void {
  const namespace = io.of('/');
  metrics.countSocketsWith(() => {
    const users = new Set<string>();
    for (const socket of namespace.sockets.values()) {
      const data = socket.data as { authenticated?: boolean; userId?: string } | undefined;
      if (data?.authenticated && data.userId) users.add(data.userId);
    }
    return { sockets: namespace.sockets.size, users: users.size };
  });

  namespace.on('connection', (socket: Socket) => {
    socket.onAnyOutgoing((event: string) => {
      if (event === 'chat:message') metrics.messagesFannedOut.inc();
    });
    socket.use((packet, next) => {
      const [event] = packet;
      const last = packet.length - 1;
      const ack: unknown = packet[last];
      if (typeof event === 'string' && last > 0 && typeof ack === 'function') {
        const end = metrics.startAck(event);
        packet[last] = (answer: AckAnswer, ...rest: unknown[]) => {
          const refused = answer?.ok === false;
          end(refused ? 'error' : 'ok');
          if (refused) {
            const code = typeof answer.error?.code === 'string' ? answer.error.code : 'unknown';
            if (code === 'rate_limited') metrics.rateLimitedEvents.inc({ event });
            else metrics.rejectedEvents.inc({ event, code });
          }
          return (ack as (...args: unknown[]) => unknown)(answer, ...rest);
        };
      }
      next();
    });
  });
}
