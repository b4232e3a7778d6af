const UNITS = ['KB', 'MB', 'GB'] as const;
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A byte count as people read it: "812 bytes", "14.2 KB", "3 MB" (1 KB = 1024 bytes). */
export function fileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${oneDecimal.format(value)} ${UNITS[unit]}`;
}

/** What kind of file it is, in a word or two: the type's subtype in capitals ("PDF"), else the name's extension. */
export function fileTypeLabel(mime: string, name: string): string {
  const known: Record<string, string> = {
    'application/pdf': 'PDF',
    'application/zip': 'ZIP archive',
    'text/plain': 'Text',
    'application/msword': 'Word document',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel sheet',
  };
  if (known[mime]) return known[mime];
  const extension = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1];
  if (extension) return extension.toUpperCase();
  const subtype = mime.split('/')[1];
  return subtype && subtype !== 'octet-stream' ? subtype.toUpperCase() : 'File';
}
