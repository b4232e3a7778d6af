/** How far one file's upload has come. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/** Upload key → its progress; a key is there while its upload runs. */
export type UploadsInFlight = Readonly<Record<string, UploadProgress>>;

export const NO_UPLOADS: UploadsInFlight = {};

export function uploadStarted(uploads: UploadsInFlight, key: string, total: number): UploadsInFlight {
  return { ...uploads, [key]: { loaded: 0, total: Math.max(0, total) } };
}

/** Bytes sent so far; an upload that is not running (ended, cancelled) is left out. */
export function uploadProgressed(uploads: UploadsInFlight, key: string, loaded: number, total?: number): UploadsInFlight {
  const current = uploads[key];
  if (!current) return uploads;
  const size = total && total > 0 ? total : current.total;
  const next = Math.min(Math.max(current.loaded, loaded), size || loaded);
  if (next === current.loaded && size === current.total) return uploads;
  return { ...uploads, [key]: { loaded: next, total: size } };
}

export function uploadEnded(uploads: UploadsInFlight, key: string): UploadsInFlight {
  if (!(key in uploads)) return uploads;
  const { [key]: _ended, ...rest } = uploads;
  return rest;
}

/** Whole percent done, 0 to 100. */
export function percentDone(progress: UploadProgress | undefined): number {
  if (!progress || progress.total <= 0) return 0;
  return Math.min(100, Math.floor((progress.loaded / progress.total) * 100));
}
