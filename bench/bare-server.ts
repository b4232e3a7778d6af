/**
 * The reference: a bare socket.io 4 relay with no authentication and no storage. A client
 * emits `join {room}`; a `chat:message {chatId, clientId, body}` is answered with an ok ack
 * and relayed to the other sockets of the room, shaped like the product's message.
 *
 * Started by bench/run.ts as a child process; it reports its port over IPC (or prints it).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const httpServer = createServer();
const io = new Server(httpServer, { transports: ['websocket'], serveClient: false });
let nextSeq = 0;

io.on('connection', (socket) => {
  socket.on('join', (payload: { room?: unknown }, ack?: (answer: { ok: boolean }) => void) => {
    if (typeof payload?.room !== 'string' || typeof ack !== 'function') return;
    void socket.join(payload.room);
    ack({ ok: true });
  });
  socket.on('chat:message', (payload: { chatId?: unknown; clientId?: unknown; body?: unknown }, ack?: (answer: unknown) => void) => {
    if (typeof payload?.chatId !== 'string' || typeof payload.body !== 'string' || typeof ack !== 'function') return;
    nextSeq += 1;
    const message = {
      id: `m${nextSeq}`,
      chatId: payload.chatId,
      seq: nextSeq,
      kind: 'text',
      senderId: socket.id,
      clientId: typeof payload.clientId === 'string' ? payload.clientId : null,
      body: payload.body,
      notice: null,
      createdAt: new Date().toISOString(),
    };
    ack({ ok: true, data: { message } });
    socket.to(payload.chatId).emit('chat:message', message);
  });
});

httpServer.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  if (process.send) process.send({ type: 'listening', port });
  else console.log(`bare socket.io server on http://127.0.0.1:${port}`);
});

const stop = () => {
  void io.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
