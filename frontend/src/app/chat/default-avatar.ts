import type { Gender } from '@shared';

/** Small built-in portraits for people without a picture, one per gender option. */
const BACKGROUND: Record<Gender, string> = {
  female: '#f7c9da',
  male: '#c4dafc',
  nonbinary: '#dccdfb',
  unspecified: '#d7dde6',
};

const HAIR: Record<Gender, string> = {
  female: '<path d="M18 30c0-12 6-19 14-19s14 7 14 19v13h-6V29c-4-1-8-4-10-8-2 4-5 7-10 8v14h-6z" fill="#6b4130"/>',
  male: '<path d="M20 25c0-9 5-13 12-13s12 4 12 13c-3-3-7-5-12-5s-9 2-12 5z" fill="#3d2b22"/>',
  nonbinary: '<path d="M19 27c0-10 6-15 13-15 8 0 13 5 13 13-5 0-10-2-13-6-3 5-8 8-13 8z" fill="#7a4fc2"/>',
  unspecified: '',
};

const SHIRT: Record<Gender, string> = {
  female: '#c2416e',
  male: '#2f5fb8',
  nonbinary: '#5b3fa0',
  unspecified: '#8a94a6',
};

function portrait(gender: Gender): string {
  const skin = gender === 'unspecified' ? '#aab3c2' : '#f1c7a5';
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" fill="${BACKGROUND[gender]}"/>` +
    `<path d="M10 64c2-14 11-21 22-21s20 7 22 21z" fill="${SHIRT[gender]}"/>` +
    `<circle cx="32" cy="28" r="12" fill="${skin}"/>` +
    HAIR[gender] +
    `</svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

const PORTRAITS: Record<Gender, string> = {
  female: portrait('female'),
  male: portrait('male'),
  nonbinary: portrait('nonbinary'),
  unspecified: portrait('unspecified'),
};

export function defaultAvatar(gender: Gender | null | undefined): string {
  return PORTRAITS[gender ?? 'unspecified'] ?? PORTRAITS.unspecified;
}
