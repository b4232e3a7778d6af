/** One socket.io-client socket (WebSocket transport) authenticated with an access token. */
import { io, type Socket } from 'socket.io-client';

export function authenticatedSocket(url: string, token: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('could not authenticate')), 10_000);
    socket.once('connect_error', (error) => reject(error));
    socket.once('unauthorized', (error: { message: string }) => reject(new Error(error.message)));
    socket.once('authenticated', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect', () => socket.emit('authentication', { token }));
  });
}
