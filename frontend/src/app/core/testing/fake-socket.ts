import type { Ack } from '@shared';
import type { ChatSocket } from '../../connection/socket-factory';

type Listener = (...args: unknown[]) => void;
// The fake plays the untyped wire: specs read and answer the fields of the event they test.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Responder = (payload: any) => Ack<unknown> | undefined;

export interface Emitted {
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as the Responder's payload
  payload: any;
  ack?: (response: Ack<unknown>) => void;
}

/**
 * Stands in for socket.io-client in specs: records what the client emits, answers requests
 * the spec registered, and lets the spec play the server (connect, drop, push events).
 */
export class FakeSocket {
  connected = false;
  connectCalls = 0;
  readonly emitted: Emitted[] = [];
  private readonly listeners = new Map<string, Listener[]>();
  private readonly responders = new Map<string, Responder>();

  asSocket(): ChatSocket {
    return this as unknown as ChatSocket;
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  connect(): this {
    this.connectCalls++;
    return this;
  }

  disconnect(): this {
    if (this.connected) {
      this.connected = false;
      this.fire('disconnect', 'io client disconnect');
    }
    return this;
  }

  emit(event: string, payload?: unknown, ack?: (response: Ack<unknown>) => void): this {
    this.emitted.push({ event, payload, ack });
    const responder = this.responders.get(event);
    if (responder && ack) {
      const response = responder(payload);
      if (response) void Promise.resolve().then(() => ack(response));
    }
    return this;
  }

  // ---- the spec plays the server

  /** Answers every later `event` request with what `respond` returns (undefined: no answer). */
  respond(event: string, respond: Responder): void {
    this.responders.set(event, respond);
  }

  serverConnect(): void {
    this.connected = true;
    this.fire('connect');
  }

  serverDrop(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  serverEmit(event: string, ...args: unknown[]): void {
    this.fire(event, ...args);
  }

  emitsOf(event: string): Emitted[] {
    return this.emitted.filter((e) => e.event === event);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}
