import MarkdownIt from 'markdown-it';

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
