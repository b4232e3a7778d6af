import { COMMON_PASSWORDS } from './common-passwords.js';

import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
/**
 * bcrypt reads only the first 72 bytes of a password and stops at a NUL character. Every
 * password bcrypt sees (account, room, set by an administrator) is therefore measured in
 * UTF-8 bytes, and one with more than 72 bytes or a NUL is refused, both where it is set and
 * where it is checked, rather than silently cut: otherwise "36 × é + anything" would open a
 * room whose password is "36 × é + Tail-Secret-9".
 */
export const PASSWORD_MAX_BYTES = 72;

const utf8 = new TextEncoder();

/** The length bcrypt sees: UTF-8 bytes. */
export function passwordBytes(password: string): number {
  return utf8.encode(password).length;
}

/** Why bcrypt could not take this password whole, or null. */
export function bcryptLimitProblem(password: string): string | null {
  if (password.includes('\u0000')) return 'must not contain a NUL character';
  if (passwordBytes(password) > PASSWORD_MAX_BYTES) return `must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`;
  return null;
}

/**
 * A password as it is given to be checked (login, joining a room): required, and within
 * bcrypt's limit. `maxChars` bounds the work before the byte count is taken.
 */
export function passwordToCheckSchema() {
  return z
    .string()
    .min(1, 'is required')
    .max(PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`)
    .superRefine((password, ctx) => {
      const problem = bcryptLimitProblem(password);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

export type PasswordStrength = 'weak' | 'fair' | 'good' | 'strong';

/** Returns why a password is refused, or null when it meets the policy. */
export function passwordProblem(password: string, username = ''): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  const bcryptProblem = bcryptLimitProblem(password);
  if (bcryptProblem) return bcryptProblem;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'is too common';
  if (username && lower.includes(username.toLowerCase())) return 'must not contain the username';
  if (new Set(lower).size < 4) return 'needs more different characters';
  return null;
}

/** A hint for the register form; the server enforces only `passwordProblem`. */
export function passwordStrength(password: string): PasswordStrength {
  if (passwordProblem(password) !== null) return 'weak';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const score = classes + (password.length >= 14 ? 1 : 0) + (password.length >= 20 ? 1 : 0);
  if (score >= 5) return 'strong';
  if (score >= 3) return 'good';
  return 'fair';
}
