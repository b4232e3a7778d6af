import sharp, { type Metadata, type Sharp } from 'sharp';

/** The picture types that get a thumb and a preview; anything else is a plain file. */
export const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

export const THUMB_BOX = { width: 480, height: 360 } as const;
export const PREVIEW_BOX = { width: 1600, height: 1600 } as const;
export const AVATAR_SIZE = 256;

export interface ImageVariants {
  /** As shown: orientation applied. */
  width: number;
  height: number;
  animated: boolean;
  /**
   * The original to keep: re-encoded in its own format with orientation applied and every
   * metadata block (EXIF with its GPS position, XMP, comments) left out; an animated GIF as it
   * came (GIF carries no EXIF; re-encoding would lose frames).
   */
  original: Buffer | null;
  /** WebP, within THUMB_BOX / PREVIEW_BOX, never enlarged; a still of the first frame. */
  thumb: Buffer;
  preview: Buffer;
}

export class ImageRefusedError extends Error {}

/**
 * Reads the picture and makes its variants with sharp (libvips), whose work runs on libuv's
 * thread pool, never on the event loop: the awaits below only wait for it. `maxPixels` is
 * checked from the header before anything is decoded (and again by sharp's limitInputPixels):
 * a decompression bomb is refused unread. A picture that does not decode (truncated, corrupt,
 * not what its first bytes claim) throws ImageRefusedError.
 */
export async function makeImageVariants(bytes: Buffer, mime: string, maxPixels: number): Promise<ImageVariants> {
  const options = { limitInputPixels: maxPixels, failOn: 'error' } as const;
  let meta: Metadata;
  try {
    // The header only: nothing is decoded yet, so the pixel count is checked here first.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRefusedError('The picture cannot be read');
  }
  const { width, height } = meta;
  if (!width || !height) throw new ImageRefusedError('The picture cannot be read');
  if (width * height > maxPixels) throw new ImageRefusedError(`The picture is larger than ${maxPixels} pixels`);
  const animated = (meta.pages ?? 1) > 1;
  const swapped = (meta.orientation ?? 1) >= 5;
  try {
    const still = () => sharp(bytes, { ...options, pages: 1 }).rotate();
    const [thumb, preview, original] = await Promise.all([
      still().resize({ ...THUMB_BOX, fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer(),
      still().resize({ ...PREVIEW_BOX, fit: 'inside', withoutEnlargement: true }).webp({ quality: 82 }).toBuffer(),
      mime === 'image/gif' && animated ? Promise.resolve(null) : cleanOriginal(still(), mime),
    ]);
    return { width: swapped ? height : width, height: swapped ? width : height, animated, original, thumb, preview };
  } catch (error) {
    if (error instanceof ImageRefusedError) throw error;
    throw new ImageRefusedError('The picture cannot be read');
  }
}

/** Re-encodes in the same format, keeping the colour profile and nothing else of the metadata. */
function cleanOriginal(image: Sharp, mime: string): Promise<Buffer> {
  const kept = image.keepIccProfile();
  switch (mime) {
    case 'image/jpeg':
      return kept.jpeg({ quality: 90, mozjpeg: true }).toBuffer();
    case 'image/png':
      return kept.png().toBuffer();
    case 'image/webp':
      return kept.webp({ quality: 90 }).toBuffer();
    case 'image/avif':
      return kept.avif({ quality: 70 }).toBuffer();
    default:
      return kept.gif().toBuffer();
  }
}

/** An avatar: the middle square, AVATAR_SIZE pixels, WebP, no metadata. */
export async function makeAvatar(bytes: Buffer, maxPixels: number): Promise<Buffer> {
  try {
    return await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', pages: 1 })
      .rotate()
      .resize({ width: AVATAR_SIZE, height: AVATAR_SIZE, fit: 'cover', position: 'attention' })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw new ImageRefusedError('The picture cannot be read');
  }
}
