import { MENTION_TOKEN, mentionToken } from '@shared/mention-tokens';

/** Someone who can be mentioned, and the names a writer may use for them after `@`. */
export interface Mentionable {
  id: string;
  /** "Ana Lima": what the composer writes after `@`, and what readers see. */
  name: string;
  username: string;
}

/**
 * The readable form of a body, for the composer (editing a message): each `<@userId>` token
 * becomes `@` and the user's current name. A token naming someone unknown stays as it is, so
 * saving the edit keeps it.
 */
export function toReadable(body: string, nameOf: (userId: string) => string | undefined): string {
  return body.replace(new RegExp(MENTION_TOKEN.source, 'g'), (token, userId: string) => {
    const name = nameOf(userId);
    return name ? `@${name}` : token;
  });
}

/** Characters that may stand right before an `@` that starts a mention, and right after its name. */
const BOUNDARY = /[\s.,;:!?()[\]{}"'«»“”‘’*_~`>-]/u;

/**
 * The wire form of what was written: `@Name` or `@username` of someone in `people` becomes their
 * `<@userId>` token. A longer name wins over a shorter one it starts with ("@Ana Lima" over
 * "@Ana"); names are matched case-insensitively and only as whole words. Text the writer put
 * around them, and every `@` that names nobody, stays as written.
 */
export function toTokens(text: string, people: readonly Mentionable[]): string {
  if (!text.includes('@') || people.length === 0) return text;
  const names = people
    .flatMap((person) => [
      { key: person.name.toLocaleLowerCase(), id: person.id },
      { key: person.username.toLocaleLowerCase(), id: person.id },
    ])
    .filter((entry) => entry.key.length > 0)
    .sort((a, b) => b.key.length - a.key.length);
  let out = '';
  let index = 0;
  while (index < text.length) {
    const at = text.indexOf('@', index);
    if (at < 0) break;
    out += text.slice(index, at);
    const before = at === 0 ? ' ' : text[at - 1]!;
    const rest = text.slice(at + 1).toLocaleLowerCase();
    const hit = BOUNDARY.test(before)
      ? names.find((entry) => rest.startsWith(entry.key) && (rest.length === entry.key.length || BOUNDARY.test(rest[entry.key.length]!)))
      : undefined;
    if (hit) {
      out += mentionToken(hit.id);
      index = at + 1 + hit.key.length;
    } else {
      out += '@';
      index = at + 1;
    }
  }
  return out + text.slice(index);
}
