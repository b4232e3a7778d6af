import express, { type Response, type Router } from 'express';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { attachmentVariantSchema, type AttachmentVariant } from '../../../shared/src/schemas/attachments.js';
import { AppError } from '../app-error.js';
import { AVATAR_PATH } from '../attachments/avatar-url.js';
import type { FileServices } from '../attachments/file-services.js';
import { contentDisposition } from '../attachments/file-name.js';
import { IMAGE_TYPES } from '../attachments/image-variants.js';
import type { AttachmentRecord, Storage } from '../storage/storage.js';
import { sendError } from './error-middleware.js';


/**
 * Downloads:
 * - `GET /files/:id/:variant?u=&exp=&sig=`: a signed URL (attachment:urls). The signature and
 *   expiry are checked (403 otherwise), then, on every request, that the attachment belongs to a
 *   live message of a chat the URL's user is a member of now, and that this user's account is
 *   active (404 otherwise): a removed, banned or deleted member stops at once. Served with the type detected at upload, `X-Content-Type-Options: nosniff`,
 *   `Cache-Control: private`; pictures inline, anything else as `Content-Disposition: attachment`
 *   with the cleaned name under `Content-Security-Policy: sandbox`, so HTML or SVG never render
 *   as a page of this origin.
 * - `GET /avatars/<key>.webp`: avatar pictures (re-encoded WebP), public and immutable.
 */
export function createFileRouter(deps: { storage: Storage; files: FileServices; logger: Logger }): Router {
  const router = express.Router();
  const { storage, files, logger } = deps;

  router.get('/files/:id/:variant', async (req, res) => {
    try {
      const variant = attachmentVariantSchema.safeParse(req.params['variant']);
      const id = req.params['id'] ?? '';
      const grant = variant.success ? files.signer.verify(id, variant.data, req.query) : null;
      if (!grant || !variant.success) throw new AppError('forbidden', 'This link is not valid or has expired');
      const [record] = await storage.attachments.byIds([id]);
      if (!record?.messageId || !record.chatId) throw notFound();
      const [member, message, user] = await Promise.all([
        storage.members.get(record.chatId, grant.userId),
        storage.messages.byId(record.messageId),
        storage.users.byId(grant.userId),
      ]);
      if (!member || !message || message.deletedAt !== null || user?.status !== 'active') throw notFound();
      const key = keyOf(record, variant.data);
      const opened = key ? await files.blobs.open(key) : null;
      if (!opened) throw notFound();
      serveAttachment(res, record, variant.data, opened, grant.exp);
    } catch (error) {
      sendError(res, error, logger, req);
    }
  });

  router.get('/avatars/:file', async (req, res) => {
    try {
      const key = AVATAR_PATH.exec(req.path)?.[1];
      const opened = key ? await files.blobs.open(key) : null;
      if (!opened) throw notFound();
      res.setHeader('Content-Type', 'image/webp');
      res.setHeader('Content-Length', String(opened.size));
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'");
      pipeOut(opened.stream, res, logger);
    } catch (error) {
      sendError(res, error, logger, req);
    }
  });
  return router;
}

function notFound(): AppError {
  return new AppError('not_found', 'File not found');
}

function keyOf(record: AttachmentRecord, variant: AttachmentVariant): string | null {
  if (variant === 'preview') return record.previewKey;
  if (variant === 'thumb') return record.thumbKey;
  return record.blobKey;
}

function serveAttachment(res: Response, record: AttachmentRecord, variant: AttachmentVariant, opened: { size: number; stream: Readable }, exp: number): void {
  const picture = record.kind === 'image' && IMAGE_TYPES.has(record.mime);
  const type = variant === 'original' ? record.mime : 'image/webp';
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', String(opened.size));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const maxAge = Math.max(0, exp - Math.floor(Date.now() / 1000));
  res.setHeader('Cache-Control', `private, max-age=${maxAge}`);
  if (picture) {
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.setHeader('Content-Disposition', contentDisposition('inline', record.name));
  } else {
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.setHeader('Content-Disposition', contentDisposition('attachment', record.name));
  }
  pipeOut(opened.stream, res, null);
}

function pipeOut(stream: Readable, res: Response, logger: Logger | null): void {
  stream.on('error', (error) => {
    logger?.warn({ err: error }, 'reading a blob failed');
    res.destroy();
  });
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
