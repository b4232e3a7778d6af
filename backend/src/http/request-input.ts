import type { Request } from 'express';
import { AppError } from '../app-error.js';

/**
 * Gathers what a REST request says into the one input object the shared schema of its use case
 * expects, unparsed: the body (or the query string, for GET) plus the ids named in the path.
 * The schema then checks it exactly as it checks a socket payload, so field errors are the same.
 *
 * This decides nothing about who may do what; it only moves values from where HTTP carries them.
 */

type PathIds = Record<string, unknown>;

/** A path id cannot also come in the body or query: it would be unclear which one counts. */
function merge(source: unknown, pathIds: PathIds): unknown {
  if (source === undefined) return { ...pathIds };
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return source; // the schema refuses it
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(pathIds)) {
    if (Object.hasOwn(source, key)) fields[key] = 'is not allowed here: it is given by the path';
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('validation_failed', `Invalid input: ${Object.keys(fields).join(', ')} is given by the path`, fields);
  }
  return { ...(source as Record<string, unknown>), ...pathIds };
}

/** The JSON body with the path ids added. No body (or a non-JSON one) counts as `{}`. */
export function bodyInput(req: Request, pathIds: PathIds = {}): unknown {
  return merge(req.body, pathIds);
}

/**
 * The query string with the path ids added. An empty parameter (`?before=`) counts as absent;
 * a parameter listed in `numeric` becomes a number when it is written as one, and otherwise
 * stays a string for the schema to refuse.
 */
export function queryInput(req: Request, pathIds: PathIds = {}, numeric: readonly string[] = []): Record<string, unknown> {
  const query: Record<string, unknown> = Object.create(null) as Record<string, unknown>; // `__proto__` stays a plain key
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    if (value === '') continue;
    query[key] = numeric.includes(key) && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return merge(query, pathIds) as Record<string, unknown>;
}
