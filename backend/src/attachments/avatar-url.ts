/** The path of an avatar picture: its blob key, so unguessable without the picture itself. */
export const AVATAR_PATH = /^\/avatars\/([0-9a-f]{64})\.webp$/;

export function avatarUrlOf(key: string): string {
  return `/avatars/${key}.webp`;
}
