import type { BlobStore } from './blob-store.js';
import type { ImageWorker } from './image-worker.js';
import type { FileUrlSigner } from './signed-urls.js';

/** Upload limits, from the configuration (UPLOAD_* variables). */
export interface UploadLimits {
  /** Largest file, bytes (UPLOAD_MAX_BYTES). */
  maxBytes: number;
  /** Bytes one user may upload per 24 hours (UPLOAD_DAILY_QUOTA_BYTES). */
  dailyQuotaBytes: number;
  /** Largest picture, in pixels (width × height), that is decoded at all (UPLOAD_MAX_IMAGE_PIXELS). */
  maxImagePixels: number;
  /** Seconds an upload may stay unattached before it is removed (UPLOAD_ORPHAN_TTL_S). */
  orphanTtlS: number;
}

/** What the file use cases work with, built once by the composition root. */
export interface FileServices {
  blobs: BlobStore;
  /** Thumbs, previews, clean originals and avatars, made in a process of their own. */
  images: ImageWorker;
  signer: FileUrlSigner;
  limits: UploadLimits;
}
