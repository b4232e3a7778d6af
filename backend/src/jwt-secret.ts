import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

const SECRET_FILE = 'jwt-secret';

/**
 * The JWT signing secret: JWT_SECRET when set, otherwise a random one generated on first
 * start and kept in DATA_DIR/jwt-secret (mode 0600) so tokens survive restarts.
 */
export function resolveJwtSecret(fromEnv: string | undefined, dataDir: string, logger: Logger): string {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, SECRET_FILE);
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  logger.warn({ file }, 'JWT_SECRET is not set: generated a signing secret and stored it with mode 0600');
  return secret;
}
