import { z } from 'zod';
import { ERROR_MEANINGS, type RouteSpec } from './route-spec.js';
import { errorResponseSchema } from '../../../../shared/src/schemas/errors.js';
import { wireSchemas } from '../../../../shared/src/schemas/wire-registry.js';

type Json = Record<string, unknown>;

const COMPONENT_REF = '#/components/schemas/';

/** Error statuses any /api route can answer, beyond the ones its spec lists. */
const API_ERRORS = [403, 500, 503];
/** ...and any route with a JSON body (malformed JSON, too large). */
const BODY_ERRORS = [400, 413];
/** The top-level operations routes can only be refused by CORS or fail. */
const OPS_ERRORS = [403, 500];

/**
 * Turns route specs into an OpenAPI 3.1 document. Schemas come from zod through
 * `z.toJSONSchema` (JSON Schema 2020-12, which OpenAPI 3.1 uses as is): request bodies and
 * parameters from the input side of the shared request schemas, responses from the output
 * side of the shared wire schemas. Schemas registered in `wireSchemas` become named components.
 */
export function buildOpenApiDocument(info: { title: string; version: string; description: string }, routes: RouteSpec[]): Json {
  const components: Record<string, Json> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, metadata: wireSchemas, unrepresentable: 'any' }) as Json;
    delete json['$schema'];
    const defs = (json['$defs'] ?? {}) as Record<string, Json>;
    delete json['$defs'];
    for (const [id, def] of Object.entries(defs)) {
      const rewritten = pointRefsAtComponents(def);
      const known = components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(rewritten)) {
        throw new Error(`schema component ${id} has two different shapes (${io})`);
      }
      components[id] = rewritten;
    }
    return pointRefsAtComponents(json);
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const operations = (paths[route.path] ??= {});
    if (operations[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is described twice`);
    operations[route.method] = operation(route, convert);
  }

  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        accessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The access token from login, refresh or SSO. Admin routes need a user whose role is admin.',
        },
        adminApiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'ADMIN_API_KEY, for programs that administer users (admin routes only).',
        },
        refreshCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'refresh_token',
          description: 'httpOnly, SameSite=Strict cookie on path /api/auth, set by login, refresh and SSO.',
        },
      },
    },
  };
}

function operation(route: RouteSpec, convert: (schema: z.ZodType, io: 'input' | 'output') => Json): Json {
  const parameters = [
    ...parametersOf(route.pathParams, 'path', convert),
    ...parametersOf(route.query, 'query', convert),
  ];
  const isApi = route.path.startsWith('/api/');
  const common = isApi ? [...API_ERRORS, ...(route.body ? BODY_ERRORS : [])] : OPS_ERRORS;
  const responses: Record<string, Json> = {};
  for (const status of common) {
    responses[String(status)] = responseObject({ description: ERROR_MEANINGS[status]!, schema: errorResponseSchema }, convert);
  }
  for (const [status, spec] of Object.entries(route.responses)) responses[status] = responseObject(spec, convert);

  const result: Json = {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    security: route.security,
    responses,
  };
  if (route.description) result['description'] = route.description;
  if (parameters.length) result['parameters'] = parameters;
  if (route.body) {
    result['requestBody'] = {
      required: route.body.required,
      ...(route.body.description && { description: route.body.description }),
      content: { [route.body.contentType ?? 'application/json']: { schema: convert(route.body.schema, 'input') } },
    };
  }
  return result;
}

function parametersOf(
  schema: z.ZodObject | undefined,
  location: 'path' | 'query',
  convert: (schema: z.ZodType, io: 'input' | 'output') => Json,
): Json[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const fieldSchema = field as z.ZodType;
    const json = convert(fieldSchema, 'input');
    const description = typeof json['description'] === 'string' ? json['description'] : undefined;
    return {
      name,
      in: location,
      required: location === 'path' || !fieldSchema.safeParse(undefined).success,
      ...(description && { description }),
      schema: json,
    };
  });
}

function responseObject(
  spec: { description: string; schema?: z.ZodType; contentType?: string; headers?: Record<string, unknown> },
  convert: (schema: z.ZodType, io: 'input' | 'output') => Json,
): Json {
  const result: Json = { description: spec.description };
  if (spec.headers) result['headers'] = spec.headers;
  if (spec.contentType && !spec.schema) result['content'] = { [spec.contentType]: { schema: { type: 'string' } } };
  if (spec.schema) result['content'] = { [spec.contentType ?? 'application/json']: { schema: convert(spec.schema, 'output') } };
  return result;
}

/** zod names definitions `#/$defs/Name`; in the document they live under components.schemas. */
function pointRefsAtComponents<T>(value: T): T {
  if (Array.isArray(value)) return value.map(pointRefsAtComponents) as T;
  if (typeof value !== 'object' || value === null) return value;
  const result: Json = {};
  for (const [key, entry] of Object.entries(value as Json)) {
    result[key] =
      key === '$ref' && typeof entry === 'string' && entry.startsWith('#/$defs/')
        ? COMPONENT_REF + entry.slice('#/$defs/'.length)
        : pointRefsAtComponents(entry);
  }
  return result as T;
}
