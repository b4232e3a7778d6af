import type { Logger } from 'pino';
import { usernameSchema } from '../../../shared/src/schemas/accounts.js';
import { passwordProblem } from '../../../shared/src/schemas/password-policy.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import { ConflictError } from '../storage/errors.js';
import type { Storage, UserPatch, UserRecord } from '../storage/storage.js';
import type { AuditTrail } from './audit-trail.js';

export class AdminBootstrapError extends Error {}

/** Start-up work: the hasher is the process's one queue, unbound (no requester's limit). */
export interface BootstrapDeps {
  storage: Storage;
  passwords: PasswordHasher;
  audit: AuditTrail;
  logger: Logger;
}

/**
 * The first administrator, from ADMIN_USERNAME and ADMIN_PASSWORD, at start-up. A missing
 * account is created; an existing one is made an active admin, and its password is set to
 * ADMIN_PASSWORD when it differs, so the environment stays the source of truth for it.
 * Several processes starting at once are fine: the one that loses the race finds the account.
 * @throws AdminBootstrapError when the username or password breaks the account rules.
 */
export async function bootstrapAdmin(
  deps: BootstrapDeps,
  credentials: { username: string; password: string },
): Promise<UserRecord> {
  const { username, password } = credentials;
  const name = usernameSchema.safeParse(username);
  if (!name.success) throw new AdminBootstrapError(`ADMIN_USERNAME ${name.error.issues[0]?.message ?? 'is invalid'}`);
  const problem = passwordProblem(password, username);
  if (problem) throw new AdminBootstrapError(`ADMIN_PASSWORD ${problem}`);

  let existing = await deps.storage.users.byUsername(username);
  if (!existing) {
    try {
      const created = await deps.storage.users.create({
        username,
        passwordHash: await deps.passwords.hash(password),
        email: '',
        firstName: 'Administrator',
        lastName: '',
        gender: 'unspecified',
        role: 'admin',
      });
      await deps.audit.record({ via: 'startup' }, 'admin.bootstrap', created.id, { outcome: 'created' });
      deps.logger.info({ userId: created.id }, 'created the first administrator');
      return created;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      existing = await deps.storage.users.byUsername(username);
      if (!existing) throw error;
    }
  }

  const patch: UserPatch = {};
  if (existing.role !== 'admin') patch.role = 'admin';
  if (existing.status !== 'active') patch.status = 'active';
  if (!(await deps.passwords.verify(password, existing.passwordHash))) patch.passwordHash = await deps.passwords.hash(password);
  if (Object.keys(patch).length === 0) return existing;
  const updated = await deps.storage.users.update(existing.id, patch);
  const changes = Object.keys(patch).map((key) => (key === 'passwordHash' ? 'password' : key));
  await deps.audit.record({ via: 'startup' }, 'admin.bootstrap', updated.id, { outcome: 'updated', changes });
  deps.logger.info({ userId: updated.id, changes }, 'brought the configured administrator up to date');
  return updated;
}

/** Runs `bootstrapAdmin` when ADMIN_USERNAME and ADMIN_PASSWORD are both set; warns when only one is. */
export async function bootstrapAdminFromConfig(
  config: { ADMIN_USERNAME?: string; ADMIN_PASSWORD?: string },
  deps: BootstrapDeps,
): Promise<void> {
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = config;
  if (!username && !password) return;
  if (!username || !password) {
    deps.logger.warn('set both ADMIN_USERNAME and ADMIN_PASSWORD to create the first administrator; ignoring the one that is set');
    return;
  }
  await bootstrapAdmin(deps, { username, password });
}
