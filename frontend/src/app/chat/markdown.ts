import MarkdownIt from 'markdown-it';
import type { StateInline, Token } from 'markdown-it';

/** How mentions (`<@userId>` tokens, see docs/PROTOCOL.md) are shown in one body. */
export interface MentionRendering {
  /** The user's current name; undefined when unknown. */
  nameOf: (userId: string) => string | undefined;
  /** The members the message mentions (`Message.mentions`): only these are chips. */
  mentioned: readonly string[];
  /** The reader: a mention of them is highlighted. */
  me: string;
}

/** What a mention shows when its user is not known (any more). */
const UNKNOWN_NAME = 'unknown user';
const TOKEN_AT_START = /^<@([0-9A-HJKMNP-TV-Z]{26})>/;

/**
 * Markdown-lite for message bodies: **bold**, *italic*, ~~strikethrough~~, `code`, fenced code
 * blocks, > quotes and links (written out or [named](https://…)); nothing else. Raw HTML is
 * shown as text (`html: false`); headings, lists, images and tables stay plain text. Links open
 * in a new tab and carry no referrer and no endorsement. A single line break is kept as one.
 */
const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true }).enable([
  // core
  'linkify',
  // block
  'blockquote',
  'fence',
  // inline
  'emphasis',
  'strikethrough',
  'backticks',
  'link',
  'newline',
  'escape',
  'entity',
]);

/**
 * `<@userId>` becomes a `mention` token (before `<` would be shown as text). It is rendered as a
 * chip when the server counted it a mention (`mentioned`), highlighted when it names the reader,
 * and otherwise as plain `@Name` text: a token naming a non-member has no effect.
 */
markdown.inline.ruler.before('emphasis', 'mention', (state: StateInline, silent: boolean) => {
  if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
  const match = TOKEN_AT_START.exec(state.src.slice(state.pos, state.pos + 29));
  if (!match) return false;
  if (!silent) {
    const token = state.push('mention', '', 0);
    token.meta = { userId: match[1] };
    token.content = match[0];
  }
  state.pos += match[0].length;
  return true;
});

markdown.renderer.rules['mention'] = (tokens, index, _options, env) => {
  const userId = (tokens[index]!.meta as { userId: string }).userId;
  const rendering = (env as { mentions?: MentionRendering } | undefined)?.mentions;
  const name = escapeHtml(`@${rendering?.nameOf(userId) ?? UNKNOWN_NAME}`);
  if (!rendering?.mentioned.includes(userId)) return name;
  const mine = userId === rendering.me;
  return `<span class="mention${mine ? ' mention-me' : ''}" title="${mine ? 'Mentions you' : 'Mention'}">${name}</span>`;
};

function escapeHtml(text: string): string {
  return markdown.utils.escapeHtml(text);
}

markdown.renderer.rules.link_open = (tokens, index, options, _env, renderer) => {
  const token = tokens[index]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return renderer.renderToken(tokens, index, options);
};

/** A message body as HTML, for `[innerHTML]` (Angular's sanitizer still runs over it). */
export function renderMarkdown(body: string, mentions?: MentionRendering): string {
  return markdown.render(body, { mentions }).trimEnd();
}

/**
 * What a reader sees of a body, as plain text on one line: for previews (chat list, quotes, the
 * reply banner, notifications). Mentions read `@Name` (`nameOf`).
 */
export function markdownText(body: string, nameOf?: (userId: string) => string | undefined): string {
  const parts: string[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      if (token.children) walk(token.children);
      else if (token.type === 'text' || token.type === 'code_inline' || token.type === 'fence') parts.push(token.content);
      else if (token.type === 'mention') parts.push(`@${nameOf?.((token.meta as { userId: string }).userId) ?? UNKNOWN_NAME}`);
      else if (token.type === 'softbreak' || token.type === 'hardbreak' || (token.block && token.nesting === -1)) parts.push(' ');
    }
  };
  walk(markdown.parse(body, {}));
  return parts.join('').replace(/\s+/g, ' ').trim();
}
