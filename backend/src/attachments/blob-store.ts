import type { Readable } from 'node:stream';

/** A blob as stored: its content key (SHA-256 of the bytes, lower-case hex) and its length. */
export interface StoredBlob {
  key: string;
  size: number;
}

/**
 * Where file bytes live, addressed by their content. Adapters (disk, GridFS) pass the one
 * contract suite in blob-contract/. A blob becomes visible under its key only once all of it is
 * durably stored: a write that fails or is cut off half-way leaves nothing readable. Writing
 * bytes that are already stored stores nothing twice and answers the same key.
 */
export interface BlobStore {
  readonly name: 'disk' | 'gridfs';
  /**
   * Streams `source` in. Rejects (storing nothing) when the source errors or ends early, or when
   * it is longer than `maxBytes` (BlobTooLargeError, without reading much past the limit).
   */
  put(source: Readable, options?: { maxBytes?: number }): Promise<StoredBlob>;
  /** The bytes of `key` as a stream, with their length; null when no such blob. */
  open(key: string): Promise<{ size: number; stream: Readable } | null>;
  has(key: string): Promise<boolean>;
  /** Removes the blob; nothing when it is not there. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the blob is larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/** Keys are SHA-256 hex digests; anything else is never a key (and never reaches a path). */
export function isBlobKey(key: string): boolean {
  return /^[0-9a-f]{64}$/.test(key);
}
