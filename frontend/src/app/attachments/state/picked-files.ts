import { MAX_ATTACHMENTS_PER_MESSAGE } from '@shared';
import { tooBig } from './upload-problem';

/** A file the user picked (button, drop or paste) for the next message, not sent yet. */
export interface PickedFile {
  /** Names the file in the composer, and later its upload. */
  key: string;
  file: Blob;
  name: string;
  size: number;
  mime: string;
}

export interface Picked {
  files: readonly PickedFile[];
  /** Why some of the files were left out, one sentence each. */
  problems: string[];
}

/**
 * Adds files to those picked for the next message: empty files and files over the server's limit
 * are left out with a reason, and so is anything past the most one message may carry.
 */
export function addPicked(current: readonly PickedFile[], incoming: readonly PickedFile[], maxBytes: number): Picked {
  const files = [...current];
  const problems: string[] = [];
  let leftOver = 0;
  for (const file of incoming) {
    if (file.size === 0) problems.push(`“${file.name}” is empty.`);
    else if (file.size > maxBytes) problems.push(tooBig(file.name, maxBytes));
    else if (files.length >= MAX_ATTACHMENTS_PER_MESSAGE) leftOver++;
    else files.push(file);
  }
  if (leftOver > 0) {
    problems.push(
      `A message can carry at most ${MAX_ATTACHMENTS_PER_MESSAGE} files: ${leftOver} ${leftOver === 1 ? 'was' : 'were'} left out.`,
    );
  }
  return { files, problems };
}

export function removePicked(current: readonly PickedFile[], key: string): readonly PickedFile[] {
  return current.filter((file) => file.key !== key);
}

/** A pasted picture has no name of its own (or just "image.png"): it gets one with the time. */
export function pastedName(name: string, mime: string, now: Date): string {
  if (name && name !== 'image.png' && name !== 'image') return name;
  const extension = mime.split('/')[1]?.replace('jpeg', 'jpg').replace(/[^a-z0-9]/gi, '') || 'png';
  const stamp = now.toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '.');
  return `Pasted image ${stamp}.${extension}`;
}

/** The pictures the server makes thumbnails of; anything else shows as a file card. */
const PICTURE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

/** How a file will likely show before the server has looked at its bytes: a picture or a file. */
export function likelyKind(mime: string): 'image' | 'file' {
  return PICTURE_TYPES.has(mime.toLowerCase()) ? 'image' : 'file';
}
