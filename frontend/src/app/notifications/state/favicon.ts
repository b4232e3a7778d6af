/** Parley's icon (as index.html has it), with room for a badge in its top right corner. */
const ICON = "<rect width='32' height='32' rx='8' fill='#2b3a67'/><path d='M8 10h16v10H14l-5 4v-4H8z' fill='#fff'/>";

/**
 * The favicon as an SVG data URL: the plain icon, or with a red badge holding the unread count
 * ("9+" past 9, since a 16-pixel icon has room for two characters), an "@" when unread mentions
 * are among them.
 */
export function faviconHref(count: number, mentioned = false): string {
  let svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>${ICON}`;
  if (count > 0) {
    const text = mentioned ? '@' : count > 9 ? '9+' : String(count);
    const size = text.length > 1 ? 13 : 16;
    svg +=
      `<circle cx='23' cy='9' r='9' fill='#d92d20' stroke='#fff' stroke-width='1.5'/>` +
      `<text x='23' y='${9 + size * 0.36}' text-anchor='middle' font-family='Arial,Helvetica,sans-serif' font-weight='700' font-size='${size}' fill='#fff'>${text}</text>`;
  }
  svg += '</svg>';
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
