import { Readable, Transform } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { fileTypeFromBuffer } from 'file-type';
import type { Logger } from 'pino';
import type { Attachment, UploadPurpose } from '../../../shared/src/schemas/attachments.js';
import { AppError } from '../app-error.js';
import type { Actor } from '../live-updates.js';
import type { NewAttachment, Storage } from '../storage/storage.js';
import { toAttachment } from './attachment-view.js';
import { pinBlob, removeUnreferencedBlobs } from './blob-cleanup.js';
import { BlobTooLargeError, type StoredBlob } from './blob-store.js';
import { cleanFileName } from './file-name.js';
import type { FileServices } from './file-services.js';
import { IMAGE_TYPES, ImageRefusedError } from './image-variants.js';
import { WorkQueue } from './work-queue.js';

type Deps = { storage: Storage; files: FileServices; logger: Logger };

/** Bytes file-type reads to tell a type. */
const SNIFF_BYTES = 4100;
/** Pictures decoded at once in this process (each holds its file and its pixels in memory). */
const pictures = new WorkQueue(2);

export interface IncomingFile {
  purpose: UploadPurpose;
  /** The name the client gave; cleaned here. */
  name: string | undefined;
  stream: Readable;
}

/**
 * Refuses an upload before any byte is read when the user's daily quota is already spent.
 * @throws AppError limit_exceeded
 */
export async function checkUploadQuota(deps: Deps, actor: Actor): Promise<void> {
  const used = await deps.storage.attachments.bytesSince(actor.userId, dayAgo());
  if (used >= deps.files.limits.dailyQuotaBytes) throw quotaError(deps);
}

/**
 * Stores one uploaded file and answers its attachment record:
 * 1. the bytes stream into the blob store (never whole in memory), refused past UPLOAD_MAX_BYTES
 *    (payload_too_large) without reading the rest; the first bytes are kept to tell the type;
 * 2. the type comes from those bytes (file-type), never from the name or the client's header;
 * 3. JPEG, PNG, WebP, GIF and AVIF pictures get a clean original (orientation applied, metadata
 *    gone), a preview and a thumb (image-variants.ts); one that does not decode, or is larger than
 *    UPLOAD_MAX_IMAGE_PIXELS, is refused (validation_failed / limit_exceeded). An avatar upload must
 *    be such a picture and gets a square AVATAR_SIZE WebP instead;
 * 4. the user's bytes of the last 24 hours, this file included, must stay within UPLOAD_DAILY_QUOTA_BYTES;
 * 5. the record is stored unattached; blobs of a refused upload are removed.
 */
export async function storeUpload(deps: Deps, actor: Actor, file: IncomingFile): Promise<{ attachment: Attachment }> {
  const { files, storage } = deps;
  const head: Buffer[] = [];
  let headBytes = 0;
  const sniff = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (headBytes < SNIFF_BYTES) {
        head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
        headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
      }
      callback(null, chunk);
    },
  });
  file.stream.on('error', (error) => sniff.destroy(error));
  let stored: StoredBlob;
  try {
    stored = await files.blobs.put(file.stream.pipe(sniff), { maxBytes: files.limits.maxBytes });
  } catch (error) {
    if (error instanceof BlobTooLargeError) {
      throw new AppError('payload_too_large', `A file may be at most ${files.limits.maxBytes} bytes`);
    }
    throw error;
  }
  const keys: Array<string | null> = [stored.key];
  const unpins = [pinBlob(stored.key)];
  const pinned = (blob: StoredBlob): StoredBlob => {
    unpins.push(pinBlob(blob.key));
    return blob;
  };
  try {
    const detected = await fileTypeFromBuffer(Buffer.concat(head));
    const mime = detected?.mime ?? 'application/octet-stream';
    const name = cleanFileName(file.name);
    const record: NewAttachment = {
      uploaderId: actor.userId,
      purpose: file.purpose,
      name,
      size: stored.size,
      mime,
      kind: 'file',
      width: null,
      height: null,
      animated: false,
      blobKey: stored.key,
      previewKey: null,
      thumbKey: null,
    };
    if (file.purpose === 'avatar') {
      if (!IMAGE_TYPES.has(mime)) throw new AppError('validation_failed', 'An avatar must be a JPEG, PNG, WebP, GIF or AVIF picture', { file: 'must be a picture' });
      const avatar = await pictures.run(async () => files.images.avatar(await readBlob(deps, stored.key), files.limits.maxImagePixels));
      const avatarBlob = pinned(await files.blobs.put(Readable.from([avatar])));
      keys.push(avatarBlob.key);
      Object.assign(record, { kind: 'image', width: 256, height: 256, mime: 'image/webp', thumbKey: avatarBlob.key });
    } else if (IMAGE_TYPES.has(mime)) {
      const variants = await pictures.run(async () => files.images.variants(await readBlob(deps, stored.key), mime, files.limits.maxImagePixels));
      const [original, preview, thumb] = await Promise.all([
        variants.original ? files.blobs.put(Readable.from([variants.original])).then(pinned) : Promise.resolve(stored),
        files.blobs.put(Readable.from([variants.preview])).then(pinned),
        files.blobs.put(Readable.from([variants.thumb])).then(pinned),
      ]);
      keys.push(original.key, preview.key, thumb.key);
      Object.assign(record, {
        kind: 'image',
        width: variants.width,
        height: variants.height,
        animated: variants.animated,
        blobKey: original.key,
        size: original.size,
        previewKey: preview.key,
        thumbKey: thumb.key,
      });
    }
    const used = await storage.attachments.bytesSince(actor.userId, dayAgo());
    if (used + record.size > files.limits.dailyQuotaBytes) throw quotaError(deps);
    const created = await storage.attachments.create(record);
    for (const unpin of unpins) unpin();
    // The raw upload of a picture whose clean original replaced it.
    if (created.blobKey !== stored.key) await removeUnreferencedBlobs(deps, [stored.key]);
    return { attachment: toAttachment(created) };
  } catch (error) {
    for (const unpin of unpins) unpin();
    await removeUnreferencedBlobs(deps, keys);
    if (error instanceof ImageRefusedError) {
      if (/larger than/.test(error.message)) throw new AppError('limit_exceeded', error.message, { file: 'has too many pixels' });
      throw new AppError('validation_failed', error.message, { file: 'is not a readable picture' });
    }
    throw error;
  }
}

async function readBlob(deps: Deps, key: string): Promise<Buffer> {
  const opened = await deps.files.blobs.open(key);
  if (!opened) throw new Error(`blob ${key} vanished`);
  return buffer(opened.stream);
}

function dayAgo(): string {
  return new Date(Date.now() - 86_400_000).toISOString();
}

function quotaError(deps: Deps): AppError {
  return new AppError('limit_exceeded', `You may upload at most ${deps.files.limits.dailyQuotaBytes} bytes a day`);
}
