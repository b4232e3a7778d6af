import type { Logger } from 'pino';
import type { AttachmentRecord, Storage } from '../storage/storage.js';
import type { BlobStore } from './blob-store.js';

/**
 * Removes the blobs among `keys` that no attachment record refers to any more (content-addressed
 * blobs may be shared by several uploads of the same bytes). A failure is logged, not thrown: a
 * blob left behind costs space, never correctness.
 */
export async function removeUnreferencedBlobs(
  deps: { storage: Storage; files: { blobs: BlobStore }; logger?: Logger },
  keys: Iterable<string | null>,
): Promise<void> {
  for (const key of new Set([...keys].filter((key): key is string => key !== null))) {
    try {
      if (!(await deps.storage.attachments.refersToBlob(key))) await deps.files.blobs.delete(key);
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
