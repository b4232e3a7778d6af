import type { z } from 'zod';
import type { AckCallback } from '../../../shared/src/api-error.js';
import type { ClientToServerEvents } from '../../../shared/src/socket-events.js';
import type { Origin } from '../accounts/origin.js';
import type { AdminActor } from '../admin/admin-actor.js';
import type { Actor } from '../live-updates.js';
import type { UseCaseDeps } from './use-case-deps.js';

/**
 * Who may call an operation. The transport checks the credential (the socket's handshake; the
 * REST bearer token, or for `admin` the token or ADMIN_API_KEY, before a body is read); the
 * pipeline then hands the use case the caller that this level names:
 * - `public`: anyone; the use case gets the request's `Origin` (address, refresh cookie);
 * - `user`: a signed-in, active user; the use case gets the `Actor`;
 * - `admin`: an administrator's access token or ADMIN_API_KEY; the use case gets the `AdminActor`.
 */
export type Access = 'public' | 'user' | 'admin';

/**
 * The rule inside a chat that the use case applies once it has read the chat, for operations
 * of signed-in users. It cannot run ahead of the use case: a non-member is answered exactly as
 * if the chat did not exist (`not_found`), from the same reads that serve the request.
 * - `member`: members of the chat only;
 * - `group admin`: admins of the group only (`forbidden` for members; `not_found` for others);
 * - `public room`: anyone may join a public group; a private one answers outsiders `not_found`.
 */
export type ChatRule = 'member' | 'group admin' | 'public room';

/**
 * A rate-limit class. Every socket event first takes from its socket's event bucket
 * (SOCKET_EVENTS_PER_SECOND / _BURST), before its payload is parsed; on top of that:
 * - `write`: the user's write budget (WRITES_PER_SECOND / WRITES_BURST), one for REST and
 *   every socket and process; the pipeline takes it after parsing, before the use case;
 * - `password-work`: bcrypt work, rate-limited and queued per requester (BCRYPT_PER_USER/IP_PER_MINUTE,
 *   BCRYPT_QUEUE_*): the pipeline hands the use case hashers bound to the caller
 *   (`user:<id>`, `ip:<address>`, or `admin:…`, trusted);
 * - `sign-in`: `password-work` as priority work, and the login throttle (LOGIN_ATTEMPTS_PER_USERNAME /
 *   _PER_IP), which the use case takes around the password check (a check refused before it ran is handed back);
 * - `room-password`: wrong room passwords per user and room (ROOM_PASSWORD_ATTEMPTS), counted by the use case.
 */
export type RateClass = 'write' | 'password-work' | 'sign-in' | 'room-password';

/** The caller a use case receives for each access level. */
export interface CallerOf {
  public: Origin;
  user: Actor;
  admin: AdminActor;
}

/** What a transport knows about who is calling. A socket has one for its lifetime; a REST request one of its own. */
export interface Principal {
  actor?: Actor;
  admin?: AdminActor;
  origin?: Origin;
}

export type RequestEvent = Exclude<keyof ClientToServerEvents, 'authentication'>;
/** The `data` an event's ack carries on success, as the contract declares it. */
export type AckData<E extends RequestEvent> =
  NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends AckCallback<infer T> ? T : never;
type Payload<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
/** The events whose payload the input schema accepts and whose ack carries `O`. */
type EventFor<In, O> = {
  [E in RequestEvent]: [Payload<E>] extends [In] ? ([O] extends [AckData<E>] ? ([AckData<E>] extends [O] ? E : never) : never) : never;
}[RequestEvent];

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Where a REST request carries the input:
 * - `body` / `query`: the JSON body (none counts as `{}`) or the query string, with the path's
 *   ids added under the names the schema uses (`path: {chatId: 'id'}`): the very object a socket
 *   sends, parsed with the same schema. A path id repeated in the body or query is refused.
 *   `numeric` query parameters written as numbers become numbers; `defaults` fill absent ones.
 * - `raw-body` / `raw-query`: the body or the query string as they are (`orEmpty`: no body is `{}`).
 * - `credentials`: the body, or with an empty body the `Authorization: Basic` header.
 * - `none`: nothing is read.
 */
export type RestInput =
  | {
      from: 'body' | 'query';
      path?: Record<string, string>;
      numeric?: readonly string[];
      defaults?: Record<string, unknown>;
      required?: boolean;
    }
  | { from: 'raw-body'; orEmpty?: boolean; required: boolean; description?: string }
  | { from: 'raw-query' }
  | { from: 'credentials' }
  | { from: 'none' };

/** What the REST twin does with the refresh cookie: set it from the answer, rotate it (read, set; clear on a dead session), or end it (read, clear). */
export type RefreshCookieUse = 'set' | 'rotate' | 'end';

export interface RestBinding<O> {
  method: HttpMethod;
  /** Express form: `/api/chats/:id/messages`. */
  path: string;
  input: RestInput;
  /** Success answers, by status, with what each means. One status unless `status` chooses. */
  success: Partial<Record<200 | 201 | 204, string>>;
  /** Chooses among several success statuses from the result and the time the request arrived (ms). */
  status?: (output: O, arrivedAt: number) => 200 | 201 | 204;
  /** Error statuses particular to the route (401 is added for signed-in and admin routes). */
  errors?: readonly number[];
  refreshCookie?: RefreshCookieUse;
  /** A body limit of its own (bulk imports), instead of BODY_LIMIT. */
  bodyLimit?: string;
  tag: string;
  summary: string;
  description?: string;
}

/** An operation with its types, as a table file writes it. */
export interface OperationSpec<
  A extends Access,
  I extends z.ZodType | undefined,
  O,
  T extends z.ZodType | undefined = undefined,
  E extends EventFor<Parsed<I>, O> = never,
> {
  /** Unique; the OpenAPI operationId of its REST twin. */
  name: string;
  access: A;
  rule?: ChatRule;
  limits?: readonly RateClass[];
  /** The shared schema every input is parsed with; none when the operation takes no input. */
  input: I;
  /** The wire shape of the answer (the ack's `data`, the REST JSON body); none for `null` / 204. */
  output?: z.ZodType<O>;
  /** REST only: the path's target, parsed before the input with a schema of its own (`{id}`). */
  target?: T;
  /** The socket event, if any; its ack must carry what the use case returns. */
  event?: E;
  /** The ack may be left out (`chat:typing`); otherwise an event without one is ignored. */
  ackOptional?: boolean;
  rest?: RestBinding<O>;
  /** Throws when this server does not offer the operation (single sign-on not configured); checked before anything else. */
  available?: (deps: UseCaseDeps) => unknown;
  /** The use case. */
  run: (deps: UseCaseDeps, caller: CallerOf[A], input: Parsed<I>, target: Parsed<T>) => Promise<O>;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** An entry of the table, its types erased. */
export interface Operation {
  readonly name: string;
  readonly access: Access;
  readonly rule?: ChatRule;
  readonly limits: readonly RateClass[];
  readonly input: z.ZodType | undefined;
  readonly output?: z.ZodType;
  readonly target?: z.ZodType;
  readonly event?: RequestEvent;
  readonly ackOptional?: boolean;
  readonly rest?: RestBinding<unknown>;
  readonly available?: (deps: UseCaseDeps) => unknown;
  /** Whether `limits` names `write`, looked up once. */
  readonly write: boolean;
  /** The bcrypt requester's kind, when the operation does password work. */
  readonly passwordWork: 'password-work' | 'sign-in' | null;
  readonly run: (deps: UseCaseDeps, caller: never, input: unknown, target: unknown) => Promise<unknown>;
}

/** Type-checks an entry against its schemas, use case and socket event, and erases its types. */
export function operation<
  A extends Access,
  I extends z.ZodType | undefined,
  O,
  T extends z.ZodType | undefined = undefined,
  E extends EventFor<Parsed<I>, O> = never,
>(spec: OperationSpec<A, I, O, T, E>): Operation & { readonly event?: E } {
  const limits = spec.limits ?? [];
  return {
    ...spec,
    target: spec.target,
    limits,
    write: limits.includes('write'),
    passwordWork: limits.includes('sign-in') ? 'sign-in' : limits.includes('password-work') ? 'password-work' : null,
    rest: spec.rest as RestBinding<unknown> | undefined,
    run: spec.run as Operation['run'],
  };
}
