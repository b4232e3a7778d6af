import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

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

markdown.renderer.rules.link_open = (tokens, index, options, _env, renderer) => {
  const token = tokens[index]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return renderer.renderToken(tokens, index, options);
};

/** A message body as HTML, for `[innerHTML]` (Angular's sanitizer still runs over it). */
export function renderMarkdown(body: string): string {
  return markdown.render(body).trimEnd();
}

/** What a reader sees of a body, as plain text on one line: for previews (chat list, quotes, the reply banner). */
export function markdownText(body: string): string {
  const parts: string[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      if (token.children) walk(token.children);
      else if (token.type === 'text' || token.type === 'code_inline' || token.type === 'fence') parts.push(token.content);
      else if (token.type === 'softbreak' || token.type === 'hardbreak' || (token.block && token.nesting === -1)) parts.push(' ');
    }
  };
  walk(markdown.parse(body, {}));
  return parts.join('').replace(/\s+/g, ' ').trim();
}
