/**
 * Users over the REST API: a registration body that passes validation, registering, signing up
 * (register, then log in), and requests that carry a user's access token.
 */
import assert from 'node:assert/strict';
import request from 'supertest';

export const TEST_PASSWORD = 'Correct-Horse-7-Battery';

export interface SignedInUser {
  id: string;
  username: string;
  accessToken: string;
}

/** A signed-in user with requests that carry their token. */
export interface Person {
  user: SignedInUser;
  api: RestClient;
}

/** A registration body that passes validation; `overrides` replace fields (undefined leaves one out). */
export function registration(username: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    username,
    password: TEST_PASSWORD,
    email: `${username.toLowerCase()}@example.test`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    gender: 'female',
    ...overrides,
  };
}

/** Registers over REST (asserting 201) and returns the self view. */
export async function register(url: string, username: string): Promise<{ id: string; username: string }> {
  const res = await request(url).post('/api/auth/register').send(registration(username));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; username: string };
}

/** Registers a user over REST and signs them in; the access token goes into `Authorization: Bearer`. */
export async function signUp(url: string, username: string): Promise<SignedInUser> {
  const { id } = await register(url, username);
  const login = await request(url).post('/api/auth/login').send({ username, password: TEST_PASSWORD });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { id, username, accessToken: login.body.accessToken as string };
}

/** `signUp`, with requests that carry the new user's token. */
export async function signUpPerson(url: string, username: string): Promise<Person> {
  const user = await signUp(url, username);
  return { user, api: restAs(url, user) };
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
