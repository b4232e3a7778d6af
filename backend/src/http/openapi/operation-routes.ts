import { z } from 'zod';
import { errorResponseSchema } from '../../../../shared/src/schemas/errors.js';
import type { Operation, RestBinding } from '../../operations/operation.js';
import { ADMIN_AUTH, errorResponses, NO_AUTH, USER_AUTH, type ResponseSpec, type RouteSpec, type SecurityRequirement } from './route-spec.js';

const setsRefreshCookie: ResponseSpec['headers'] = {
  'Set-Cookie': {
    description: 'refresh_token: httpOnly, SameSite=Strict, Path=/api/auth; Secure under SECURE_COOKIES or HTTPS',
    schema: { type: 'string' },
  },
};
const REFRESH_COOKIE_AUTH: SecurityRequirement[] = [{ refreshCookie: [] }, {}];

/**
 * The route specs of the table's REST operations, in table order: where the input comes from
 * (path, query, body) and its schema follow from the operation's input schema and binding, the
 * answers from its output schema and success statuses, the security from its access.
 */
export function operationRoutes(operations: readonly Operation[]): RouteSpec[] {
  return operations.flatMap((op) => (op.rest ? [routeSpec(op, op.rest)] : []));
}

function routeSpec(op: Operation, rest: RestBinding<unknown>): RouteSpec {
  const spec: RouteSpec = {
    method: rest.method,
    path: rest.path.replace(/:(\w+)/g, '{$1}'),
    operationId: op.name,
    tag: rest.tag,
    summary: rest.summary,
    security: securityOf(op, rest),
    responses: responsesOf(op, rest),
  };
  if (rest.description) spec.description = rest.description;
  const input = rest.input;
  const object = op.input ? inputObject(op.input) : undefined;
  if (op.target) spec.pathParams = op.target as z.ZodObject;
  if ((input.from === 'body' || input.from === 'query') && object) {
    const path = input.path ?? {};
    if (Object.keys(path).length > 0) {
      spec.pathParams = z.strictObject(Object.fromEntries(Object.entries(path).map(([key, param]) => [param, object.shape[key] as z.ZodType])));
    }
    const rest = withoutKeys(object, Object.keys(path));
    if (input.from === 'body') spec.body = { schema: rest, required: input.required ?? true };
    else spec.query = input.defaults ? rest.partial(Object.fromEntries(Object.keys(input.defaults).map((key) => [key, true])) as never) : rest;
  } else if (input.from === 'raw-query' && object) {
    spec.query = object;
  } else if (input.from === 'raw-body' && op.input) {
    spec.body = { schema: op.input, required: input.required, ...(input.description && { description: input.description }) };
  } else if (input.from === 'credentials' && op.input) {
    spec.body = { schema: op.input, required: false };
  }
  return spec;
}

function securityOf(op: Operation, rest: RestBinding<unknown>): SecurityRequirement[] {
  if (op.access === 'user') return USER_AUTH;
  if (op.access === 'admin') return ADMIN_AUTH;
  return rest.refreshCookie === 'rotate' || rest.refreshCookie === 'end' ? REFRESH_COOKIE_AUTH : NO_AUTH;
}

function responsesOf(op: Operation, rest: RestBinding<unknown>): Record<number, ResponseSpec> {
  const responses: Record<number, ResponseSpec> = {};
  const setsCookie = rest.refreshCookie === 'set' || rest.refreshCookie === 'rotate';
  for (const [status, description] of Object.entries(rest.success)) {
    responses[Number(status)] =
      status === '204' || !op.output ? { description } : { description, schema: op.output, ...(setsCookie && { headers: setsRefreshCookie }) };
  }
  const errors = op.access === 'public' ? (rest.errors ?? []) : [401, ...(rest.errors ?? [])];
  return { ...responses, ...errorResponses(errorResponseSchema, ...errors) };
}

/** The object schema under an optional one (`{}` or nothing). */
function inputObject(schema: z.ZodType): z.ZodObject | undefined {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  return inner instanceof z.ZodObject ? inner : undefined;
}

/**
 * The object without the path's keys, as a new strict object of the same fields (zod refuses
 * `.omit` on an object with refinements, such as history's "before or around"; a refinement
 * across fields has no JSON Schema form anyway).
 */
function withoutKeys(object: z.ZodObject, keys: string[]): z.ZodObject {
  if (keys.length === 0) return object;
  return z.strictObject(Object.fromEntries(Object.entries(object.shape).filter(([key]) => !keys.includes(key))));
}
