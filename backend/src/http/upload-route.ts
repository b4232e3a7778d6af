import busboy from 'busboy';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import { UPLOAD_FIELD, uploadQuerySchema } from '../../../shared/src/schemas/attachments.js';
import type { AccessTokens } from '../accounts/access-tokens.js';
import { AppError } from '../app-error.js';
import { checkUploadQuota, storeUpload } from '../attachments/store-upload.js';
import { UploadPacer } from '../attachments/upload-pacer.js';
import type { Pipeline } from '../operations/pipeline.js';
import type { Storage } from '../storage/storage.js';
import { parseInput } from '../validation.js';
import { sendError } from './error-middleware.js';
import { authenticatedSessionId, authenticatedUser, requireAuth } from './require-auth.js';

/** Room for the multipart framing around the file (boundaries, part headers). */
const MULTIPART_OVERHEAD = 64 * 1024;
/** How long a refused upload's connection stays open, unread, after its answer. */
const UNREAD_BODY_GRACE_MS = 3_000;

/**
 * `POST /api/uploads[?purpose=message|avatar]`: one file, multipart/form-data, field `file`,
 * streamed through busboy straight into the blob store (store-upload.ts). Bearer access token
 * first, then the user's write budget (one take per upload) and daily quota, all before a byte
 * of the body is read. A declared Content-Length over the limit is answered 413 unread; a body
 * that turns out longer is cut off with 413 as soon as it passes the limit, and the connection
 * closed rather than read to its end. Bodies are paced (upload-pacer.ts) so that many uploads at
 * once do not hold chat messages back. Answers 201 `{attachment}`.
 */
export function createUploadRouter(deps: { accessTokens: AccessTokens; storage: Storage; pipeline: Pipeline; logger: Logger }): Router {
  const router = express.Router();
  const { pipeline, logger } = deps;
  // One for every upload of this process: together they take one chunk per turn of the event loop.
  const pacer = new UploadPacer();
  router.post('/uploads', requireAuth(deps), async (req, res) => {
    const sessionId = authenticatedSessionId(res);
    const actor = { userId: authenticatedUser(res).id, ...(sessionId === undefined ? {} : { sessionId }) };
    const fail = (error: unknown) => {
      if (res.headersSent) return;
      res.setHeader('Connection', 'close');
      req.unpipe();
      req.pause();
      sendError(res, error, logger, req);
      // Stop reading: whatever the client still sends is not wanted. The socket is closed a moment
      // after the answer, not at once: a reset right behind it can reach a client that is still
      // writing before it has read the answer, and it then sees a broken pipe instead of the 413.
      res.once('finish', () => setTimeout(() => req.socket.destroy(), UNREAD_BODY_GRACE_MS).unref());
    };
    try {
      const { purpose = 'message' } = parseInput(uploadQuerySchema, { ...req.query });
      const { maxBytes } = pipeline.deps.files.limits;
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) {
        throw new AppError('payload_too_large', `A file may be at most ${maxBytes} bytes`);
      }
      if (!req.is('multipart/form-data')) {
        throw new AppError('validation_failed', 'Send the file as multipart/form-data', { [UPLOAD_FIELD]: 'is required' });
      }
      await pipeline.writeBudget.take(actor.userId);
      await checkUploadQuota(pipeline.deps, actor);
      const parser = busboy({
        headers: req.headers,
        // One byte over the limit is how the blob store tells "too large" from "exactly the limit".
        limits: { files: 1, fileSize: maxBytes + 1, fields: 8, fieldSize: 1024, parts: 10, headerPairs: 20 },
        defParamCharset: 'utf8',
      });
      let handled = false;
      parser.on('file', (field, stream, info) => {
        if (field !== UPLOAD_FIELD || handled) {
          stream.resume();
          return;
        }
        handled = true;
        req.once('aborted', () => stream.destroy(new Error('upload cut off')));
        req.once('close', () => {
          if (!req.complete) stream.destroy(new Error('upload cut off'));
        });
        storeUpload(pipeline.deps, actor, { purpose, name: info.filename, stream }).then(
          (result) => {
            if (!res.headersSent) res.status(201).json(result);
          },
          fail,
        );
      });
      parser.on('error', (error) => fail(new AppError('validation_failed', `Malformed multipart body: ${(error as Error).message}`)));
      parser.on('close', () => {
        if (!handled) fail(new AppError('validation_failed', `No file in the field \`${UPLOAD_FIELD}\``, { [UPLOAD_FIELD]: 'is required' }));
      });
      req.pipe(pacer.stream()).pipe(parser);
    } catch (error) {
      fail(error);
    }
  });
  return router;
}

