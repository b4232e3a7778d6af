import type { z } from 'zod';
import { AppError } from './app-error.js';

/** Parses untrusted input against a shared schema, or throws a validation AppError with per-field messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const issue of result.error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields[[...issue.path.map(String), k].join('.')] ??= 'is not allowed';
      continue;
    }
    fields[key] ??= issue.message;
  }
  const summary = Object.entries(fields).map(([k, v]) => (k === '_' ? v : `${k} ${v}`)).join('; ');
  throw new AppError('validation_failed', `Invalid input: ${summary}`, fields);
}
