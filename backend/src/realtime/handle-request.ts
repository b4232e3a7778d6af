import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Ack, AckCallback } from '../../../shared/src/api-error.js';
import type { ClientToServerEvents } from '../../../shared/src/socket-events.js';
import { AppError, toAppError } from '../app-error.js';
import type { Actor } from '../live-updates.js';
import type { Services } from '../services.js';
import { parseInput } from '../validation.js';
import type { ChatSocket } from './create-socket-server.js';
import type { TokenBucket } from './token-bucket.js';

/** What every handler of one authenticated socket shares. */
export interface HandlerContext {
  socket: ChatSocket;
  actor: Actor;
  services: Services;
  /** This socket's budget of events per second. */
  rateLimit: TokenBucket;
  /** Carries the socket id and user id. */
  logger: Logger;
}

export type RequestEvent = Exclude<keyof ClientToServerEvents, 'authentication'>;

/** The `data` an event's ack carries on success, as the contract declares it. */
export type AckData<E extends RequestEvent> =
  NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends AckCallback<infer T> ? T : never;

export interface RequestOptions {
  /** The ack may be left out (`chat:typing`); otherwise an event without one is ignored. */
  ackOptional?: boolean;
}

/**
 * The one way a socket event reaches a use case. For every event it:
 * takes a token from the socket's rate limit (`rate_limited`), insists on an object payload and
 * parses it with the shared schema (unknown keys such as `__proto__` are refused), runs the use
 * case as the socket's user, and answers `{ok: true, data}` or `{ok: false, error}`. Writes
 * also take from the user's one write budget, which REST shares: the use cases take it
 * (services.ts), so that no transport can skip it.
 * It never throws, and logs the socket id, event and error code — never the payload.
 * An event without an ack function is ignored (nothing runs), unless the ack is optional.
 */
export function onRequest<E extends RequestEvent, S extends z.ZodType>(
  context: HandlerContext,
  event: E,
  schema: S,
  run: (actor: Actor, input: z.output<S>) => Promise<AckData<E>>,
  options: RequestOptions = {},
): void {
  const listener = (...args: unknown[]): void => {
    const [payload, ack] = args.length === 1 && typeof args[0] === 'function' ? [undefined, args[0]] : args;
    const reply = typeof ack === 'function' ? (ack as (response: Ack<AckData<E>>) => void) : null;
    if (!reply && !options.ackOptional) {
      context.logger.debug({ event }, 'socket event without ack ignored');
      return;
    }
    void answer(context, event, payload, reply, () => run(context.actor, parseInput(schema, payload)));
  };
  (context.socket.on as (event: string, listener: (...args: unknown[]) => void) => ChatSocket).call(context.socket, event, listener);
}

async function answer<T>(
  context: HandlerContext,
  event: string,
  payload: unknown,
  reply: ((response: Ack<T>) => void) | null,
  execute: () => Promise<T>,
): Promise<void> {
  let response: Ack<T>;
  try {
    if (!context.rateLimit.take()) throw new AppError('rate_limited', 'Too many requests on this connection; slow down');
    if (payload !== undefined && !isPlainObject(payload)) throw new AppError('validation_failed', 'The payload must be an object');
    response = { ok: true, data: await execute() };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === 'internal') context.logger.error({ event, err: error }, 'socket request failed');
    else context.logger.debug({ event, code: appError.code }, 'socket request refused');
    response = { ok: false, error: appError.toApiError() };
  }
  try {
    reply?.(response);
  } catch (error) {
    context.logger.warn({ event, err: error }, 'socket ack failed');
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
