import { AppError, toAppError } from '../app-error.js';
import type { PasswordRequester } from '../accounts/password-hasher.js';
import type { WriteBudget } from '../rate-limits/write-budget.js';
import { parseInput } from '../validation.js';
import type { Operation, Principal } from './operation.js';
import { withPasswordRequester, type UseCaseDeps } from './use-case-deps.js';

/** What the pipeline runs use cases with; built once. */
export interface Pipeline {
  deps: UseCaseDeps;
  /** Each user's one budget of writes, whatever the transport (`write` operations). */
  writeBudget: WriteBudget;
}

/** One caller's channel: a socket, for its lifetime, or one REST request. */
export interface Call {
  principal: Principal;
  /** The channel's own rate limit, taken before anything else (a socket's event bucket). */
  admission?: { take(): boolean };
  /** Only plain objects (or nothing) are accepted as input: socket payloads. */
  objectInputOnly?: boolean;
}

/** What a request came to: the socket ack's shape on success; the mapped error (and what was thrown) on failure. */
export type Outcome = { ok: true; data: unknown } | { ok: false; error: AppError; cause: unknown };

/**
 * The one way a request reaches a use case, for sockets and REST alike (after the check that
 * this server offers the operation at all, such as single sign-on):
 *   1. rate limit: the channel's own limit (a socket's event bucket) → `rate_limited`;
 *   2. parse: a socket payload must be a plain object; the REST path's target, then the input,
 *      against the operation's shared schemas (unknown keys refused) → `validation_failed`;
 *   3. authorize: the caller the operation's access names (a user, an administrator, an origin)
 *      → `unauthenticated`;
 *   4. the operation's rate-limit class: the user's write budget (`rate_limited`); bcrypt work
 *      bound to the caller as its requester;
 *   5. the use case, whose rules (members only, group admins only) answer for themselves;
 *   6. map errors: whatever was thrown becomes one AppError, which each transport writes its way.
 * It never throws.
 */
export async function runOperation(pipeline: Pipeline, op: Operation, call: Call, input: unknown, target?: unknown): Promise<Outcome> {
  try {
    op.available?.(pipeline.deps);
    if (call.admission && !call.admission.take()) throw new AppError('rate_limited', 'Too many requests on this connection; slow down');
    if (call.objectInputOnly && input !== undefined && !isPlainObject(input)) {
      throw new AppError('validation_failed', 'The payload must be an object');
    }
    const parsedTarget = op.target ? parseInput(op.target, target) : undefined;
    const parsed = op.input ? parseInput(op.input, input) : undefined;
    const caller = authorize(op, call.principal);
    if (op.write) await pipeline.writeBudget.take((caller as { userId: string }).userId);
    const deps = op.passwordWork ? withPasswordRequester(pipeline.deps, requesterOf(op, call.principal)) : pipeline.deps;
    return { ok: true, data: await op.run(deps, caller as never, parsed, parsedTarget) };
  } catch (error) {
    return { ok: false, error: toAppError(error), cause: error };
  }
}

/** The caller the operation's access level asks for. */
function authorize(op: Operation, principal: Principal): unknown {
  switch (op.access) {
    case 'user':
      if (principal.actor) return principal.actor;
      throw new AppError('unauthenticated', 'Sign in first');
    case 'admin':
      if (principal.admin) return principal.admin;
      throw new AppError('unauthenticated', 'Sign in as an administrator or present the admin API key');
    case 'public':
      if (principal.origin) return principal.origin;
      throw new AppError('unauthenticated', 'Unknown origin');
  }
}

/**
 * Whose bcrypt work this is: the signed-in user's, the client address's for anonymous calls
 * (sign-ins as priority work), or an administrator's (trusted: no rate limit or queue bound,
 * since a bulk import hashes up to 1000 passwords, but one round-robin turn at a time).
 */
function requesterOf(op: Operation, principal: Principal): PasswordRequester {
  if (op.access === 'user' && principal.actor) return { key: `user:${principal.actor.userId}` };
  if (op.access === 'admin' && principal.admin) {
    return { key: principal.admin.via === 'user' ? `admin:${principal.admin.userId}` : 'admin:api-key', trusted: true };
  }
  const key = `ip:${principal.origin?.ip ?? 'unknown'}`;
  return op.passwordWork === 'sign-in' ? { key, priority: true } : { key };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
