import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { SelfUser, ServerToClientEvents } from '@shared';
import { Subject } from 'rxjs';
import { AccessTokenStore } from '../session/access-token-store';
import { SessionScope } from '../session/session-scope';
import { TokenRefresh } from '../session/token-refresh';
import { CHAT_TIMING } from './chat-timing';
import { SocketFactory } from './socket-factory';
import {
  RequestError,
  socketRequest,
  type NotifyEvent,
  type NotifyPayload,
  type RequestEvent,
  type RequestPayload,
  type RequestResult,
} from './socket-request';

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** How many `unauthorized` answers in a row end the session. */
const MAX_UNAUTHORIZED = 3;

/**
 * The session's one socket.io connection: connects, authenticates (socketio-auth: every
 * reconnection first, with a fresh token), reconnects, and carries typed requests and events.
 */
@Injectable()
export class Connection {
  private readonly socket = inject(SocketFactory).create();
  private readonly accessToken = inject(AccessTokenStore);
  private readonly tokens = inject(TokenRefresh);
  private readonly scope = inject(SessionScope);
  private readonly current = signal<ConnectionState>('connecting');
  private abort = new AbortController();
  private connectedBefore = false;
  private unauthorizedInRow = 0;
  private serverDisconnects = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly onBrowserOffline = () => this.goOffline();
  private readonly onBrowserOnline = () => this.goOnline();

  readonly state = this.current.asReadonly();
  /** Each (re)authentication, with the user as the server sees them now. */
  readonly authenticated = new Subject<SelfUser>();
  /** Each time the connection drops. */
  readonly disconnected = new Subject<void>();

  constructor() {
    const socket = this.socket;
    socket.on('connect', () => void this.onConnect());
    socket.on('connect_error', () => this.current.set('offline'));
    socket.on('disconnect', (reason) => this.onDisconnect(reason));
    socket.on('authenticated', (user) => this.onAuthenticated(user));
    socket.on('unauthorized', () => this.onUnauthorized());
    socket.on('session:ended', () => this.scope.expire('ended'));
    inject(DestroyRef).onDestroy(() => this.close());
  }

  /** Starts connecting; listeners for server events go on first. */
  open(): void {
    window.addEventListener('offline', this.onBrowserOffline);
    window.addEventListener('online', this.onBrowserOnline);
    this.socket.connect();
  }

  /** Listens to one of the server's events for as long as the session lasts. */
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    (this.socket.on as (event: string, listener: unknown) => unknown)(event, listener);
  }

  /** Sends a request and resolves with the ack's data, or rejects with the server's error as a RequestError. */
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<RequestResult<E>> {
    if (this.closed || this.current() !== 'online') {
      return Promise.reject(new RequestError('offline', 'You are offline. Try again when the connection is back.'));
    }
    return socketRequest(this.socket, event, payload, CHAT_TIMING.ackTimeoutMs, this.abort.signal);
  }

  /** Tells the server something that needs no answer; nothing goes out while offline. */
  notify<E extends NotifyEvent>(event: E, payload: NotifyPayload<E>): void {
    if (this.closed || this.current() !== 'online') return;
    (this.socket.emit as (event: string, payload: unknown) => unknown)(event, payload);
  }

  private async onConnect(): Promise<void> {
    this.current.set('connecting');
    // A session started offline has no access token yet: the refresh cookie gets the first one.
    if (this.connectedBefore || !this.accessToken.accessToken()) await this.tokens.refreshNow();
    this.connectedBefore = true;
    const token = this.accessToken.accessToken();
    if (this.closed || !this.socket.connected || !token) return;
    this.socket.emit('authentication', { token });
  }

  private onAuthenticated(user: SelfUser): void {
    if (this.closed) return;
    this.unauthorizedInRow = 0;
    this.serverDisconnects = 0;
    this.abort = new AbortController();
    this.current.set('online');
    this.authenticated.next(user);
  }

  private onUnauthorized(): void {
    // The server closes the socket after this; onDisconnect reconnects, onConnect refreshes.
    if (++this.unauthorizedInRow >= MAX_UNAUTHORIZED) this.scope.expire('expired');
  }

  private onDisconnect(reason: string): void {
    if (this.closed) return;
    this.abort.abort();
    this.current.set('offline');
    this.disconnected.next();
    if (reason === 'io server disconnect') {
      // socket.io does not reconnect by itself after the server closed the socket.
      const delay = Math.min(500 * 2 ** this.serverDisconnects++, 10_000);
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = setTimeout(() => {
        if (!this.closed) this.socket.connect();
      }, delay);
    }
  }

  private goOffline(): void {
    if (this.socket.connected) this.socket.disconnect();
    if (!this.closed) this.current.set('offline');
  }

  private goOnline(): void {
    if (!this.socket.connected && !this.closed) this.socket.connect();
  }

  private close(): void {
    this.closed = true;
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.abort.abort();
    window.removeEventListener('offline', this.onBrowserOffline);
    window.removeEventListener('online', this.onBrowserOnline);
    clearTimeout(this.reconnectTimer);
    this.authenticated.complete();
    this.disconnected.complete();
  }
}
