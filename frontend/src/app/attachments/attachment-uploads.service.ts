import { HttpClient, HttpEventType } from '@angular/common/http';
import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { DEFAULT_UPLOAD_MAX_BYTES, UPLOAD_FIELD, type Attachment, type UploadPurpose, type UploadResult } from '@shared';
import { httpFailure } from '../core/http-failure';
import { TokenRefresh } from '../session/token-refresh';
import { NO_UPLOADS, uploadEnded, uploadProgressed, uploadStarted, type UploadsInFlight } from './state/upload-progress';
import { uploadProblem, type UploadProblem } from './state/upload-problem';

/** An upload the server refused or that could not reach it; `problem` says it in plain words. */
export class UploadError extends Error {
  constructor(readonly problem: UploadProblem) {
    super(problem.text);
    this.name = 'UploadError';
  }
}

/** The user cancelled the upload. */
export class UploadCancelled extends Error {
  constructor() {
    super('Upload cancelled.');
    this.name = 'UploadCancelled';
  }
}

/**
 * Sends files to `POST /api/uploads` (multipart, one `file` field) through the app's HttpClient —
 * its XMLHttpRequest backend reports upload progress, which `inFlight` follows per upload key —
 * and answers with the stored attachment. A refused token is renewed once and the upload tried
 * again. `cancel(key)` aborts a running upload. Session-scoped: the session's end aborts them all.
 */
@Injectable()
export class AttachmentUploads {
  private readonly http = inject(HttpClient);
  private readonly tokens = inject(TokenRefresh);
  private readonly running = new Map<string, () => void>();
  private readonly progress = signal<UploadsInFlight>(NO_UPLOADS);

  /** Upload key → bytes sent so far, for every upload running now. */
  readonly inFlight = this.progress.asReadonly();
  /** The largest file the server takes (its default; a smaller configured limit answers 413). */
  readonly maxBytes = DEFAULT_UPLOAD_MAX_BYTES;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      for (const cancel of [...this.running.values()]) cancel();
    });
  }

  /**
   * Uploads one file as `name`. Rejects with UploadError (the problem in plain words: too big,
   * over the allowance, not accepted, no connection...) or UploadCancelled.
   */
  async upload(key: string, file: Blob, name: string, purpose: UploadPurpose = 'message'): Promise<Attachment> {
    try {
      return await this.once(key, file, name, purpose);
    } catch (error) {
      const renew = error instanceof UploadError && error.problem.reauthenticate;
      if (!renew || !(await this.tokens.refreshNow())) throw error;
      return this.once(key, file, name, purpose);
    }
  }

  /** Stops the upload; its promise rejects with UploadCancelled. Nothing happens for a key not uploading. */
  cancel(key: string): void {
    this.running.get(key)?.();
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  private once(key: string, file: Blob, name: string, purpose: UploadPurpose): Promise<Attachment> {
    this.cancel(key);
    return new Promise<Attachment>((resolve, reject) => {
      const form = new FormData();
      form.append(UPLOAD_FIELD, file, name);
      const url = purpose === 'message' ? '/api/uploads' : `/api/uploads?purpose=${purpose}`;
      this.progress.update((uploads) => uploadStarted(uploads, key, file.size));
      const ended = () => {
        this.running.delete(key);
        this.progress.update((uploads) => uploadEnded(uploads, key));
      };
      const subscription = this.http.post<UploadResult>(url, form, { reportProgress: true, observe: 'events' }).subscribe({
        next: (event) => {
          if (event.type === HttpEventType.UploadProgress) {
            this.progress.update((uploads) => uploadProgressed(uploads, key, event.loaded, event.total));
          } else if (event.type === HttpEventType.Response) {
            ended();
            const attachment = event.body?.attachment;
            if (attachment) resolve(attachment);
            else reject(new UploadError(uploadProblem({ status: 500 }, name, this.maxBytes)));
          }
        },
        error: (failure: unknown) => {
          ended();
          const { status, error } = httpFailure(failure);
          const { code, message, fields } = error;
          reject(new UploadError(uploadProblem({ status, code, message, ...(fields ? { fields } : {}) }, name, this.maxBytes)));
        },
      });
      // Unsubscribing aborts the XMLHttpRequest.
      this.running.set(key, () => {
        subscription.unsubscribe();
        ended();
        reject(new UploadCancelled());
      });
    });
  }
}
