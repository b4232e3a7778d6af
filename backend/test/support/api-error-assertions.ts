/** Assertions on the one wire error shape `{error: {code, message, fields?}}`. */
import assert from 'node:assert/strict';

export interface WireError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/** Asserts the body is `{error}` alone, with this code and a message; returns the error. */
export function assertErrorShape(body: unknown, code: string): WireError {
  assert.ok(typeof body === 'object' && body !== null, 'a JSON body');
  assert.deepEqual(Object.keys(body), ['error']);
  const error = (body as { error: WireError }).error;
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  return error;
}

/** Asserts the status and the error shape of an answer; returns the error. */
export function assertApiError(res: { status: number; body: unknown }, status: number, code: string): WireError {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  return assertErrorShape(res.body, code);
}
