import assert from 'node:assert/strict';
import request from 'supertest';

export const TEST_PASSWORD = 'Correct-Horse-7-Battery';

export interface SignedInUser {
  id: string;
  username: string;
  accessToken: string;
}

/** Registers a user over REST and signs them in; the access token goes into `Authorization: Bearer`. */
export async function signUp(url: string, username: string): Promise<SignedInUser> {
  const registered = await request(url).post('/api/auth/register').send({
    username,
    password: TEST_PASSWORD,
    email: `${username.toLowerCase()}@example.test`,
    firstName: 'Test',
    lastName: username,
    gender: 'unspecified',
  });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  const login = await request(url).post('/api/auth/login').send({ username, password: TEST_PASSWORD });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { id: registered.body.id as string, username, accessToken: login.body.accessToken as string };
}

/** supertest requests to the server carrying the user's access token. */
export function restAs(url: string, user: SignedInUser) {
  const agent = request(url);
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${user.accessToken}`);
  return {
    get: (path: string) => auth(agent.get(path)),
    post: (path: string) => auth(agent.post(path)),
    patch: (path: string) => auth(agent.patch(path)),
    delete: (path: string) => auth(agent.delete(path)),
  };
}

export type RestClient = ReturnType<typeof restAs>;

/** Asserts the one error shape `{error: {code, message, fields?}}` and returns the error. */
export function assertApiError(res: request.Response, status: number, code: string): { code: string; message: string; fields?: Record<string, string> } {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  assert.deepEqual(Object.keys(res.body as object), ['error']);
  const error = (res.body as { error: { code: string; message: string; fields?: Record<string, string> } }).error;
  assert.equal(error.code, code);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  return error;
}
