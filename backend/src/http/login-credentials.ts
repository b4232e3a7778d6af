import type { Request } from 'express';
import { AppError } from '../app-error.js';

/**
 * What a login request offers as credentials: the JSON body, or, when the body is empty,
 * an `Authorization: Basic` header. Returned unparsed; the use case validates it.
 */
export function loginCredentials(req: Request): unknown {
  const body: unknown = req.body;
  const bodyIsEmpty = body === undefined || (isPlainObject(body) && Object.keys(body).length === 0);
  const header = req.headers.authorization;
  if (!bodyIsEmpty || !header || !/^Basic /i.test(header)) return body;
  return basicCredentials(header.slice('Basic '.length).trim());
}

function basicCredentials(encoded: string): { username: string; password: string } {
  const decoded = /^[A-Za-z0-9+/]+=*$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new AppError('validation_failed', 'Malformed Basic credentials: expected base64 of username:password');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
