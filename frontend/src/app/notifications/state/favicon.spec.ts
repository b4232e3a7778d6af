import { faviconHref } from './favicon';

describe('favicon', () => {
  const svgOf = (href: string) => decodeURIComponent(href.replace('data:image/svg+xml,', ''));

  it('is the plain icon with nothing unread', () => {
    const svg = svgOf(faviconHref(0));
    expect(svg).toContain('<rect');
    expect(svg).not.toContain('<circle');
  });

  it('draws a badge with the count, 9+ past nine, and @ for unread mentions', () => {
    expect(svgOf(faviconHref(3))).toContain('>3</text>');
    expect(svgOf(faviconHref(12))).toContain('>9+</text>');
    expect(svgOf(faviconHref(12, true))).toContain('>@</text>');
    expect(faviconHref(3).startsWith('data:image/svg+xml,')).toBeTrue();
  });
});
