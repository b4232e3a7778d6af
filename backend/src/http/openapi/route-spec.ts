import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route, as OpenAPI security requirements. */
export const NO_AUTH: SecurityRequirement[] = [];
export const USER_AUTH: SecurityRequirement[] = [{ accessToken: [] }];
export const ADMIN_AUTH: SecurityRequirement[] = [{ accessToken: [] }, { adminApiKey: [] }];
export type SecurityRequirement = Record<string, string[]>;

export interface ResponseSpec {
  description: string;
  /** The JSON body's schema (output side); none for empty answers. */
  schema?: z.ZodType;
  /** Defaults to application/json when there is a schema. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/** One REST route as the OpenAPI document describes it. */
export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI form: `/api/chats/{id}/messages`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  security: SecurityRequirement[];
  /** Schema of the path parameters (strict object). */
  pathParams?: z.ZodObject;
  /** Schema of the query string (strict object). */
  query?: z.ZodObject;
  /** The JSON body (input side of the schema). */
  body?: { schema: z.ZodType; required: boolean; description?: string; /** application/json unless given. */ contentType?: string };
  /** Success answers and the errors particular to the route; the builder adds the common ones. */
  responses: Record<number, ResponseSpec>;
}

/** What each error status means on this API; every error body is `{error: {code, message, fields?}}`. */
export const ERROR_MEANINGS: Record<number, string> = {
  400: 'Invalid input (validation_failed): `fields` names each bad field',
  401: 'Not signed in, or the credential is invalid or expired (unauthenticated)',
  403: 'Not allowed (forbidden, blocked, wrong_password), including requests from an origin CORS_ORIGINS does not allow',
  404: 'No such resource (not_found)',
  409: 'Conflicts with existing data (conflict): `fields` names what collided',
  413: 'The request body is larger than BODY_LIMIT (payload_too_large)',
  422: 'A limit would be exceeded (limit_exceeded)',
  429: 'Too many attempts (rate_limited); see Retry-After',
  500: 'Unexpected server error (internal)',
  503: 'The message store is unavailable (store_unavailable), or the server is too busy checking passwords (busy, with Retry-After); retry shortly',
};

/** Error answers for these statuses, with the common error body. */
export function errorResponses(errorSchema: z.ZodType, ...statuses: number[]): Record<number, ResponseSpec> {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: ERROR_MEANINGS[status] ?? 'Error', schema: errorSchema }]),
  );
}
