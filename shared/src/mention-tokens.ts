/**
 * The mention token of a message body, `<@userId>` (see schemas/mentions.ts and docs/PROTOCOL.md).
 * Kept apart from the schemas, with no zod, so that a client can read and write tokens without
 * loading zod.
 */

/** One mention token in a body; the first group is the user id (a ULID). */
export const MENTION_TOKEN = /<@([0-9A-HJKMNP-TV-Z]{26})>/g;

/** The token a client writes for a mention of `userId`. */
export function mentionToken(userId: string): string {
  return `<@${userId}>`;
}

/** The distinct user ids a body's tokens name, in order of first appearance. */
export function mentionedIds(body: string): string[] {
  const ids = new Set<string>();
  for (const match of body.matchAll(MENTION_TOKEN)) ids.add(match[1]!);
  return [...ids];
}
