import { fileSize } from './file-size';

/** What went wrong with an upload, as the HTTP answer told it (status 0: no answer at all). */
export interface UploadFailure {
  status: number;
  code?: string;
  message?: string;
  fields?: Record<string, string>;
}

/** What the user is told, and whether trying the same upload again can help. */
export interface UploadProblem {
  text: string;
  /** Sending the same file again cannot succeed: the message is marked as not sent. */
  final: boolean;
  /** The access token was refused: get a fresh one, then try again. */
  reauthenticate?: boolean;
}

/** Plain words for a failed upload of the file `name`; `maxBytes` is the largest file the server takes. */
export function uploadProblem(failure: UploadFailure, name: string, maxBytes: number): UploadProblem {
  const { status, code } = failure;
  const file = `“${name}”`;
  if (status === 0) return { text: `The connection was lost while sending ${file}. It goes again once you are back online.`, final: false };
  if (status === 401) return { text: 'Your session needs renewing.', final: false, reauthenticate: true };
  if (status === 413 || code === 'payload_too_large') {
    // The server's own limit, when its message names it (it may be set lower than the default).
    const stated = Number(/(\d+) bytes/.exec(failure.message ?? '')?.[1]);
    return { text: tooBig(name, stated > 0 ? stated : maxBytes), final: true };
  }
  if (code === 'limit_exceeded' && /pixel/i.test(failure.fields?.['file'] ?? '')) {
    return { text: `${file} was not sent: the picture is too large (too many pixels).`, final: true };
  }
  if (code === 'quota_exceeded' || code === 'limit_exceeded') {
    return { text: `${file} was not sent: you have used today’s upload allowance. Try again tomorrow.`, final: true };
  }
  if (status === 415 || code === 'unsupported_type' || code === 'unsupported_media_type') {
    return { text: `${file} was not sent: that kind of file is not accepted.`, final: true };
  }
  if (status === 429 || code === 'rate_limited' || code === 'busy') {
    return { text: `Too many uploads at once: ${file} goes again in a moment.`, final: false };
  }
  if (status >= 500) return { text: `The server could not store ${file} just now. It goes again in a moment.`, final: false };
  const reason = failure.message?.trim();
  return { text: `${file} was not sent${reason ? `: ${reason.replace(/\.$/, '')}` : ''}.`, final: true };
}

export function tooBig(name: string, maxBytes: number): string {
  return `“${name}” is too big to send: files can be at most ${fileSize(maxBytes)}.`;
}
