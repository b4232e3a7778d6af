import { Injectable } from '@angular/core';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@shared';

/** The client side of the wire contract: the server's event maps, reversed. */
export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Creates the one socket.io connection. Kept behind an injectable so specs can hand the
 * service a fake socket instead of a network connection.
 */
@Injectable({ providedIn: 'root' })
export class SocketFactory {
  create(): ChatSocket {
    return io({
      transports: ['websocket'],
      autoConnect: false,
      withCredentials: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
  }
}
