import { markdownText, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  const fragment = (body: string) => {
    const template = document.createElement('template');
    template.innerHTML = renderMarkdown(body);
    return template.content;
  };

  it('formats bold, italic, strikethrough, code, code blocks and quotes', () => {
    expect(renderMarkdown('**bold** *italic* ~~gone~~ `x = 1`')).toBe(
      '<p><strong>bold</strong> <em>italic</em> <s>gone</s> <code>x = 1</code></p>',
    );
    expect(renderMarkdown('```\nconst a = 1 < 2;\n```')).toBe('<pre><code>const a = 1 &lt; 2;\n</code></pre>');
    expect(renderMarkdown('> said before')).toBe('<blockquote>\n<p>said before</p>\n</blockquote>');
  });

  it('shows raw HTML as text', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)><script>alert(2)</script> **ok**');
    expect(html).toBe('<p>&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt; <strong>ok</strong></p>');
    expect(fragment('<b onclick="x()">hi</b>').querySelector('b, img, script, [onclick]')).toBeNull();
  });

  it('links addresses and named links, opening them in a new tab without referrer', () => {
    const links = Array.from(fragment('see https://example.com/a?b=1 or [the docs](https://docs.example.com)').querySelectorAll('a'));
    expect(links.map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
      ['https://docs.example.com', 'the docs'],
    ]);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
  });

  it('never links a script address', () => {
    const content = fragment('[click](javascript:alert(1)) [data](data:text/html,hi)');
    expect(content.querySelector('a')).toBeNull();
    expect(content.textContent).toContain('[click](javascript:alert(1))');
  });

  it('leaves headings, lists, images and tables as plain text', () => {
    const content = fragment('# Title\n- item\n![cat](https://example.com/cat.png)\n| a |\n|---|\n| b |');
    expect(content.querySelector('h1, ul, li, img, table')).toBeNull();
    expect(content.textContent).toContain('# Title');
    expect(content.textContent).toContain('- item');
  });

  it('keeps single line breaks', () => {
    expect(renderMarkdown('one\ntwo')).toBe('<p>one<br>\ntwo</p>');
  });

  it('gives previews the text a reader sees, on one line', () => {
    expect(markdownText('**Ship it** today, see [the notes](https://example.com)\n> quoted\n\n`a < b`')).toBe(
      'Ship it today, see the notes quoted a < b',
    );
    expect(markdownText('<b>not markup</b> &amp; ~~gone~~')).toBe('<b>not markup</b> & gone');
  });
});

describe('mentions in message bodies', () => {
  const ana = '01HZZZZZZZZZZZZZZZZZZZZAN1';
  const bruno = '01HZZZZZZZZZZZZZZZZZZZZBR1';
  const outsider = '01HZZZZZZZZZZZZZZZZZZZZQRT';
  const names: Record<string, string> = { [ana]: 'Ana Lima', [bruno]: 'Bruno <Costa>', [outsider]: 'Olga Out' };
  const nameOf = (id: string) => names[id];

  it('shows a mention of the reader highlighted, of others as a chip, with the current name escaped', () => {
    const html = renderMarkdown(`hi <@${ana}> and <@${bruno}>`, { nameOf, mentioned: [ana, bruno], me: ana });
    expect(html).toBe(
      '<p>hi <span class="mention mention-me" title="Mentions you">@Ana Lima</span> and ' +
        '<span class="mention" title="Mention">@Bruno &lt;Costa&gt;</span></p>',
    );
  });

  it('shows a token the server did not count (a non-member) as plain text, and an unknown user by a placeholder', () => {
    expect(renderMarkdown(`<@${outsider}> hi`, { nameOf, mentioned: [ana], me: ana })).toBe('<p>@Olga Out hi</p>');
    expect(renderMarkdown(`<@01HZZZZZZZZZZZZZZZZZZZZZZZ>`, { nameOf, mentioned: [], me: ana })).toBe('<p>@unknown user</p>');
  });

  it('works inside formatting, not inside code, and leaves anything like a token as text', () => {
    expect(renderMarkdown(`**<@${ana}>**`, { nameOf, mentioned: [ana], me: bruno })).toBe(
      '<p><strong><span class="mention" title="Mention">@Ana Lima</span></strong></p>',
    );
    expect(renderMarkdown(`\`<@${ana}>\``, { nameOf, mentioned: [ana], me: ana })).toBe(`<p><code>&lt;@${ana}&gt;</code></p>`);
    expect(renderMarkdown('<@not-an-id> <@x onclick=1>', { nameOf, mentioned: [], me: ana })).toBe('<p>&lt;@not-an-id&gt; &lt;@x onclick=1&gt;</p>');
  });

  it('reads @Name in previews', () => {
    expect(markdownText(`**hey** <@${ana}>`, nameOf)).toBe('hey @Ana Lima');
  });
});
