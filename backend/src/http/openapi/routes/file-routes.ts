import { z } from 'zod';
import {
  attachmentVariantSchema,
  MAX_FILE_NAME_LENGTH,
  uploadQuerySchema,
  uploadResultSchema,
} from '../../../../../shared/src/schemas/attachments.js';
import { errorResponseSchema } from '../../../../../shared/src/schemas/errors.js';
import { idSchema } from '../../../../../shared/src/schemas/common.js';
import { errorResponses, NO_AUTH, USER_AUTH, type RouteSpec } from '../route-spec.js';

const uploadBodySchema = z.strictObject({
  file: z.string().meta({ format: 'binary', description: `The file, with its name (kept cleaned, at most ${MAX_FILE_NAME_LENGTH} characters)` }),
});

/** The streamed upload and the downloads: routes of their own, not operations of the table (their bodies are not JSON). */
export const fileRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/uploads',
    operationId: 'upload',
    tag: 'chats',
    summary: 'Upload one file (multipart/form-data, field `file`), for a message or (`purpose=avatar`) as your picture',
    description:
      'Streamed into the blob store. One write of your write budget; your daily quota (UPLOAD_DAILY_QUOTA_BYTES) is checked first. ' +
      'Over UPLOAD_MAX_BYTES: 413 as soon as the limit is passed (or the declared length is over it), the connection closed. ' +
      'The type comes from the bytes. Pictures (JPEG, PNG, WebP, GIF, AVIF) get a thumb and a preview; one that does not decode is 400, ' +
      'one over UPLOAD_MAX_IMAGE_PIXELS 422. Send the answer\'s id in `attachmentIds` of a message, or as `avatarAttachmentId`.',
    security: USER_AUTH,
    query: uploadQuerySchema,
    body: { schema: uploadBodySchema, required: true, contentType: 'multipart/form-data' },
    responses: {
      201: { description: 'Stored, attached to nothing yet', schema: uploadResultSchema },
      ...errorResponses(errorResponseSchema, 413, 422, 429),
    },
  },
  {
    method: 'get',
    path: '/files/{id}/{variant}',
    operationId: 'download',
    tag: 'chats',
    summary: 'Download an attachment through a signed URL of `attachment:urls`',
    description:
      'Signature and expiry checked (403), then on every request that the URL\'s user is a member of the chat now and the message is not deleted (404). ' +
      'Served with the detected type and nosniff; pictures inline, anything else as an attachment under `Content-Security-Policy: sandbox`.',
    security: NO_AUTH,
    pathParams: z.strictObject({ id: idSchema, variant: attachmentVariantSchema }),
    query: z.strictObject({
      u: z.string().meta({ description: 'The user the URL was issued to' }),
      exp: z.string().meta({ description: 'Expiry, seconds since the epoch' }),
      sig: z.string().meta({ description: 'HMAC-SHA256 of id, variant, user and expiry' }),
    }),
    responses: {
      200: { description: 'The bytes', contentType: 'application/octet-stream', schema: z.string().meta({ format: 'binary' }) },
      ...errorResponses(errorResponseSchema, 403, 404),
    },
  },
  {
    method: 'get',
    path: '/avatars/{file}',
    operationId: 'avatar',
    tag: 'users',
    summary: 'An avatar picture (`avatarUrl`): `<sha-256>.webp`, 256-pixel square, public and immutable',
    security: NO_AUTH,
    pathParams: z.strictObject({ file: z.string().regex(/^[0-9a-f]{64}\.webp$/) }),
    responses: {
      200: { description: 'The picture', contentType: 'image/webp', schema: z.string().meta({ format: 'binary' }) },
      ...errorResponses(errorResponseSchema, 404),
    },
  },
];
