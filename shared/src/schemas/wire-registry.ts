import { z } from 'zod';

/**
 * The shapes that cross the wire under a name of their own. The OpenAPI document turns every
 * schema registered here into a named component (`#/components/schemas/<id>`) and refers to it.
 */
export const wireSchemas = z.registry<{ id: string }>();

/** Registers `schema` under `id` and returns it unchanged. */
export function named<S extends z.ZodType>(id: string, schema: S): S {
  wireSchemas.add(schema, { id });
  return schema;
}
