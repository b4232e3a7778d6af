import type { Logger } from 'pino';
import type { AttachmentRecord, Storage } from '../storage/storage.js';
import type { BlobStore } from './blob-store.js';

/** Blobs that uploads in progress in this process use before their record exists: never removed meanwhile. */
const inUse = new Map<string, number>();

/**
 * Marks `key` as used by an upload in progress until the returned function is called. Two uploads
 * of the same bytes share one blob; without this, one finishing (a picture's raw bytes replaced by
 * its clean original) or failing would remove the blob the other is still reading. Processes do
 * not see each other's marks: the same bytes uploaded at the same moment through two processes
 * can still lose that race (see docs/SCALING.md).
 */
export function pinBlob(key: string): () => void {
  inUse.set(key, (inUse.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (inUse.get(key) ?? 1) - 1;
    if (count <= 0) inUse.delete(key);
    else inUse.set(key, count);
  };
}

/**
 * Removes the blobs among `keys` that no attachment record refers to any more (content-addressed
 * blobs may be shared by several uploads of the same bytes) and no upload in progress here uses.
 * A failure is logged, not thrown: a blob left behind costs space, never correctness.
 */
export async function removeUnreferencedBlobs(
  deps: { storage: Storage; files: { blobs: BlobStore }; logger?: Logger },
  keys: Iterable<string | null>,
): Promise<void> {
  for (const key of new Set([...keys].filter((key): key is string => key !== null))) {
    try {
      if (inUse.has(key) || (await deps.storage.attachments.refersToBlob(key))) continue;
      if (!inUse.has(key)) await deps.files.blobs.delete(key);
    } catch (error) {
      deps.logger?.warn({ err: error }, 'removing an unreferenced blob failed');
    }
  }
}

/** Removes the attachment records, then whichever of their blobs nothing else refers to. */
export async function removeAttachments(
  deps: { storage: Storage; files: { blobs: BlobStore }; logger?: Logger },
  records: readonly AttachmentRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await deps.storage.attachments.delete(records.map((record) => record.id));
  await removeUnreferencedBlobs(
    deps,
    records.flatMap((record) => [record.blobKey, record.previewKey, record.thumbKey]),
  );
}
