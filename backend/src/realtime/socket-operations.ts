import type { Logger } from 'pino';
import type { Ack } from '../../../shared/src/api-error.js';
import type { Operation } from '../operations/operation.js';
import { runOperation, type Call, type Outcome, type Pipeline } from '../operations/pipeline.js';
import type { ChatSocket } from './create-socket-server.js';

export type { AckData, RequestEvent } from '../operations/operation.js';

type Reply = (response: Ack<unknown>) => void;

/** One authenticated socket, as its handlers share it. */
export interface SocketChannel {
  socket: ChatSocket;
  /** The socket's user and its event bucket; payloads must be plain objects. */
  call: Call;
  /** Carries the socket id and user id. */
  logger: Logger;
}

/**
 * The socket transport of the table: one listener per operation that has an event, attached
 * once the socket has authenticated. A listener only takes the payload and the ack function
 * from the arguments and writes the outcome into the ack; everything else is the pipeline's.
 * An event without an ack function is ignored (nothing runs) unless its ack is optional.
 * It never throws, and logs the event and the error code (the logger carries the socket id),
 * never the payload.
 */
export function attachSocketOperations(channel: SocketChannel, pipeline: Pipeline, socketOperations: readonly Operation[]): void {
  const on = channel.socket.on as (event: string, listener: (...args: unknown[]) => void) => ChatSocket;
  for (const op of socketOperations) {
    const event = op.event!;
    on.call(channel.socket, event, (...args: unknown[]): void => {
      const [payload, ack] = args.length === 1 && typeof args[0] === 'function' ? [undefined, args[0]] : args;
      const reply = typeof ack === 'function' ? (ack as Reply) : null;
      if (!reply && !op.ackOptional) {
        channel.logger.debug({ event }, 'socket event without ack ignored');
        return;
      }
      void answer(channel, pipeline, op, payload, reply);
    });
  }
}

async function answer(channel: SocketChannel, pipeline: Pipeline, op: Operation, payload: unknown, reply: Reply | null): Promise<void> {
  const outcome = await runOperation(pipeline, op, channel.call, payload);
  try {
    reply?.(outcome.ok ? outcome : refusal(channel.logger, op, outcome));
  } catch (error) {
    channel.logger.warn({ event: op.event, err: error }, 'socket ack failed');
  }
}

function refusal(logger: Logger, op: Operation, outcome: Extract<Outcome, { ok: false }>): Ack<unknown> {
  const { error, cause } = outcome;
  if (error.code === 'internal') logger.error({ event: op.event, err: cause }, 'socket request failed');
  else logger.debug({ event: op.event, code: error.code }, 'socket request refused');
  return { ok: false, error: error.toApiError() };
}
