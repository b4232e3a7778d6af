import { z } from 'zod';
import { idSchema } from './common.js';
import { named } from './wire-registry.js';

/**
 * Files and pictures in chats. A file is uploaded first, over HTTP (`POST /api/uploads`,
 * multipart/form-data with one field `file`), which stores it and answers with its attachment
 * record; a message then names it by id (`attachmentIds` of `chat:message`). Downloads go through
 * short-lived signed URLs (`attachment:urls`), issued only to members of a chat that holds a
 * message with the attachment, and checked again on every fetch.
 */

/** Default largest file, in bytes (the server's `UPLOAD_MAX_BYTES`). */
export const DEFAULT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;
/** Attachments one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** Attachment ids one `attachment:urls` request may name. */
export const MAX_ATTACHMENT_URLS = 100;
/** The longest file name kept, in characters (a longer one is shortened, its extension kept). */
export const MAX_FILE_NAME_LENGTH = 200;
/** The multipart field that carries the file. */
export const UPLOAD_FIELD = 'file';

/** `image`: a picture the server could read (JPEG, PNG, WebP, GIF, AVIF), with a thumb and a preview; `file`: anything else. */
export const ATTACHMENT_KINDS = ['image', 'file'] as const;
export const attachmentKindSchema = z.enum(ATTACHMENT_KINDS);
export type AttachmentKind = z.output<typeof attachmentKindSchema>;

/** What an upload is for: an attachment of a message (default), or the uploader's avatar picture. */
export const UPLOAD_PURPOSES = ['message', 'avatar'] as const;
export const uploadPurposeSchema = z.enum(UPLOAD_PURPOSES, { message: `must be one of ${UPLOAD_PURPOSES.join(', ')}` });
export type UploadPurpose = z.output<typeof uploadPurposeSchema>;

/** The query of `POST /api/uploads`. */
export const uploadQuerySchema = z.strictObject({ purpose: uploadPurposeSchema.optional() });
export type UploadQuery = z.infer<typeof uploadQuerySchema>;

export const attachmentSchema = named(
  'Attachment',
  z.strictObject({
    id: z.string(),
    /** The cleaned file name: no path, no control or bidi-override characters, at most MAX_FILE_NAME_LENGTH characters. */
    name: z.string(),
    /** Bytes of the original. */
    size: z.number().int(),
    /** The type the server detected from the bytes (not the name, not the client's header); application/octet-stream when unknown. */
    mime: z.string(),
    kind: attachmentKindSchema,
    /** Pixels of the picture as shown (orientation applied); images only. */
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    /** An animated GIF or WebP (its thumb and preview are still); images only. */
    animated: z.boolean().optional(),
  }),
);
export type Attachment = z.output<typeof attachmentSchema>;

/** The answer of `POST /api/uploads` (201). */
export const uploadResultSchema = named('UploadResult', z.strictObject({ attachment: attachmentSchema }));
export type UploadResult = z.output<typeof uploadResultSchema>;

/** The ids a message attaches: each uploaded by the sender, not yet attached to any message; no repeats. */
export const attachmentIdsSchema = z
  .array(idSchema)
  .max(MAX_ATTACHMENTS_PER_MESSAGE, `must hold at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments`)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an attachment');

/** `attachment:urls`: signed download URLs for attachments of messages in the caller's chats. */
export const attachmentUrlsRequestSchema = z.strictObject({
  attachmentIds: z
    .array(idSchema)
    .min(1, 'must name at least one attachment')
    .max(MAX_ATTACHMENT_URLS, `must name at most ${MAX_ATTACHMENT_URLS} attachments`),
});
export type AttachmentUrlsRequest = z.infer<typeof attachmentUrlsRequestSchema>;

/** The variants of a stored file: the original bytes, and for images a preview (about 1600 px) and a thumb (about 480×360). */
export const ATTACHMENT_VARIANTS = ['original', 'preview', 'thumb'] as const;
export const attachmentVariantSchema = z.enum(ATTACHMENT_VARIANTS);
export type AttachmentVariant = z.output<typeof attachmentVariantSchema>;

/**
 * Signed URLs of one attachment (paths on the server's origin: `/files/:id/:variant?exp=…&sig=…`),
 * valid until `expiresAt` for the user they were issued to, and only while that user stays a member.
 */
export const attachmentUrlSchema = named(
  'AttachmentUrl',
  z.strictObject({
    id: z.string(),
    original: z.string(),
    preview: z.string().optional(),
    thumb: z.string().optional(),
    expiresAt: z.string(),
  }),
);
export type AttachmentUrl = z.output<typeof attachmentUrlSchema>;

export const attachmentUrlsSchema = named('AttachmentUrls', z.strictObject({ urls: z.array(attachmentUrlSchema) }));
export type AttachmentUrls = z.output<typeof attachmentUrlsSchema>;
