import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt only reads the first 72 bytes; longer passwords are refused rather than truncated. */
export const PASSWORD_MAX_BYTES = 72;

export type PasswordStrength = 'weak' | 'fair' | 'good' | 'strong';

/** Returns why a password is refused, or null when it meets the policy. */
export function passwordProblem(password: string, username = ''): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES) return `must be at most ${PASSWORD_MAX_BYTES} bytes`;
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
