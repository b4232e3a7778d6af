/**
 * The key that orders usernames and makes them unique regardless of case: what both adapters
 * index, look up, search and page by (SQLite's username_key, MongoDB's usernameLower).
 */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** The smallest key greater than every key that starts with `prefix`: bumps its last character. */
export function firstKeyAfterPrefix(prefix: string): string {
  const characters = Array.from(prefix);
  const last = characters.pop() ?? '';
  return characters.join('') + String.fromCodePoint((last.codePointAt(0) ?? 0) + 1);
}
