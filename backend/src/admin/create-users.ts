import type {
  AdminBulkCreateRequest,
  AdminBulkCreateResult,
  AdminCreateUserRequest,
  AdminUser,
} from '../../../shared/src/schemas/admin.js';
import { AppError } from '../app-error.js';
import { ConflictError } from '../storage/errors.js';
import type { NewUser, Storage } from '../storage/storage.js';
import type { AdminActor } from './admin-actor.js';
import type { AdminDeps } from './admin-deps.js';
import { toAdminUser } from './admin-user-view.js';

/**
 * Creates one account. @throws AppError 400 with per-field messages; 409 naming `username`
 * or `externalId` when another account has it.
 */
export async function createUser(deps: AdminDeps, actor: AdminActor, request: AdminCreateUserRequest): Promise<AdminUser> {
  const clashes = await takenFields(deps.storage, [request]);
  if (clashes.length) throw conflict(clashes, (field) => field);
  const [newUser] = await withPasswordHashes(deps, [request]);
  let user;
  try {
    user = await deps.storage.users.create(newUser!);
  } catch (error) {
    if (error instanceof ConflictError) throw conflict([{ index: 0, field: error.field }], (field) => field);
    throw error;
  }
  await deps.audit.record(actor, 'user.create', user.id, { username: user.username, role: user.role });
  deps.logger.info({ userId: user.id }, 'admin created a user');
  return toAdminUser(user);
}

/**
 * Creates up to 1000 accounts, all or none. Problems are reported per item, keyed
 * `users.<index>.<field>`: 400 for invalid items and names repeated within the request,
 * 409 for names or external ids another account already has. Nothing is stored unless every
 * item is fine.
 */
export async function createUsersInBulk(
  deps: AdminDeps,
  actor: AdminActor,
  { users: requests }: AdminBulkCreateRequest,
): Promise<AdminBulkCreateResult> {
  const repeated = repeatedWithinRequest(requests);
  if (repeated.length) {
    const fields = Object.fromEntries(repeated.map(({ index, field, first }) => [`users.${index}.${field}`, `repeats users.${first}.${field}`]));
    throw new AppError('validation_failed', `The request names the same account more than once (${repeated.length} items)`, fields);
  }
  const clashes = await takenFields(deps.storage, requests);
  if (clashes.length) throw conflict(clashes, (field, index) => `users.${index}.${field}`);

  const newUsers = await withPasswordHashes(deps, requests);
  let created;
  try {
    created = await deps.storage.users.createMany(newUsers);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Someone took a name between the check and the insert: find which item it was.
    const raced = await takenFields(deps.storage, requests);
    throw conflict(raced.length ? raced : [{ index: -1, field: error.field }], (field, index) =>
      index < 0 ? `users` : `users.${index}.${field}`,
    );
  }
  await deps.audit.record(actor, 'user.bulk_create', null, {
    count: created.length,
    userIds: created.map((user) => user.id),
  });
  deps.logger.info({ count: created.length }, 'admin created users in bulk');
  return { users: created.map(toAdminUser) };
}

interface FieldProblem {
  index: number;
  field: 'username' | 'externalId' | string;
}

async function takenFields(storage: Storage, requests: AdminCreateUserRequest[]): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const [index, request] of requests.entries()) {
    if (await storage.users.byUsername(request.username)) problems.push({ index, field: 'username' });
    if (request.externalId !== undefined && (await storage.users.byExternalId(request.externalId))) {
      problems.push({ index, field: 'externalId' });
    }
  }
  return problems;
}

function repeatedWithinRequest(requests: AdminCreateUserRequest[]): Array<FieldProblem & { first: number }> {
  const repeated: Array<FieldProblem & { first: number }> = [];
  const firstUsername = new Map<string, number>();
  const firstExternalId = new Map<string, number>();
  for (const [index, request] of requests.entries()) {
    const key = request.username.toLowerCase();
    const earlier = firstUsername.get(key);
    if (earlier === undefined) firstUsername.set(key, index);
    else repeated.push({ index, field: 'username', first: earlier });
    if (request.externalId === undefined) continue;
    const earlierExternal = firstExternalId.get(request.externalId);
    if (earlierExternal === undefined) firstExternalId.set(request.externalId, index);
    else repeated.push({ index, field: 'externalId', first: earlierExternal });
  }
  return repeated;
}

function conflict(problems: FieldProblem[], key: (field: string, index: number) => string): AppError {
  const fields = Object.fromEntries(problems.map(({ index, field }) => [key(field, index), 'is already taken']));
  const names = [...new Set(problems.map((problem) => problem.field))].join(' and ');
  return new AppError('conflict', `That ${names} is already taken`, fields);
}

/** bcrypt runs on libuv's thread pool, so the hashes of a batch are computed in parallel. */
async function withPasswordHashes(deps: AdminDeps, requests: AdminCreateUserRequest[]): Promise<NewUser[]> {
  return Promise.all(
    requests.map(async (request) => ({
      username: request.username,
      email: request.email,
      firstName: request.firstName,
      lastName: request.lastName,
      gender: request.gender,
      avatarUrl: request.avatarUrl ?? null,
      role: request.role ?? 'user',
      externalId: request.externalId ?? null,
      passwordHash: request.password === undefined ? null : await deps.passwords.hash(request.password),
    })),
  );
}
