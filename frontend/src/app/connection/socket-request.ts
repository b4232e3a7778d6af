import type { Ack, ApiError, AckCallback, ClientToServerEvents, ErrorCode } from '@shared';
import type { ChatSocket } from './socket-factory';

/** Client events that answer through an ack callback. */
export type RequestEvent = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [unknown, (response: never) => void] ? E : never;
}[keyof ClientToServerEvents];

/** Client events that need no answer. */
export type NotifyEvent = Exclude<keyof ClientToServerEvents, RequestEvent | 'authentication'>;
export type NotifyPayload<E extends NotifyEvent> = Parameters<ClientToServerEvents[E]>[0];

export type RequestPayload<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
export type RequestResult<E extends RequestEvent> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer R> ? R : never;

/** A socket request that failed: the server's error, no answer in time, or no connection. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode | 'timeout' | 'offline',
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'RequestError';
  }

  static from(error: ApiError): RequestError {
    return new RequestError(error.code, error.message, error.fields);
  }
}

/**
 * Emits one request and settles with the ack's data, its error, a timeout, or — when `abort`
 * fires because the connection dropped — an `offline` error.
 */
export function socketRequest<E extends RequestEvent>(
  socket: ChatSocket,
  event: E,
  payload: RequestPayload<E>,
  timeoutMs: number,
  abort?: AbortSignal,
): Promise<RequestResult<E>> {
  return new Promise((resolve, reject) => {
    if (abort?.aborted) {
      reject(new RequestError('offline', 'You are offline.'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new RequestError('offline', 'The connection was lost.'));
    };
    const timer = setTimeout(() => {
      abort?.removeEventListener('abort', onAbort);
      reject(new RequestError('timeout', 'The server did not answer in time.'));
    }, timeoutMs);
    abort?.addEventListener('abort', onAbort, { once: true });
    const onAck = (response: Ack<RequestResult<E>>) => {
      clearTimeout(timer);
      abort?.removeEventListener('abort', onAbort);
      if (response && response.ok) resolve(response.data);
      else reject(RequestError.from(response?.error ?? { code: 'internal', message: 'Malformed answer.' }));
    };
    // The event maps make `emit` generic over every event; one cast keeps the call site honest.
    (socket.emit as (event: string, payload: unknown, ack: typeof onAck) => unknown)(event, payload, onAck);
  });
}
