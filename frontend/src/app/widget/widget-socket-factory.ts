import { Injectable, inject } from '@angular/core';
import { io } from 'socket.io-client';
import type { ChatSocket } from '../connection/socket-factory';
import { socketPath } from './state/server-base';
import { WidgetSettings } from './widget-settings';

/** The widget's socket goes to the chat server it names (cross-origin: the server's CORS_ORIGINS must list the host page's origin). */
@Injectable()
export class WidgetSocketFactory {
  private readonly settings = inject(WidgetSettings);

  create(): ChatSocket {
    const server = this.settings.server();
    if (!server) throw new Error('No chat server set.');
    return io(new URL(server).origin, {
      path: socketPath(server),
      transports: ['websocket'],
      autoConnect: false,
      withCredentials: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
  }
}
