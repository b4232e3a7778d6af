import { attachmentUrlsRequestSchema, attachmentUrlsSchema, MAX_ATTACHMENT_URLS } from '../../../shared/src/schemas/attachments.js';
import { attachmentUrls } from '../attachments/attachment-urls.js';
import { operation } from './operation.js';

/**
 * Files and pictures: signed download URLs (`attachment:urls` and its REST twin). The upload
 * itself (`POST /api/uploads`, streamed multipart) and the downloads (`GET /files/…`) are
 * routes of their own (http/upload-route.ts, http/file-routes.ts): no JSON body to parse.
 */
export const attachmentOperations = [
  operation({
    name: 'attachmentUrls',
    access: 'user',
    input: attachmentUrlsRequestSchema,
    output: attachmentUrlsSchema,
    event: 'attachment:urls',
    rest: {
      method: 'post',
      path: '/api/attachments/urls',
      input: { from: 'body', required: true },
      success: { 200: 'Signed URLs of the attachments you may see, in the order asked' },
      errors: [400],
      tag: 'chats',
      summary: 'Short-lived signed download URLs for attachments of messages in your chats',
      description:
        `1 to ${MAX_ATTACHMENT_URLS} ids. Only attachments of live messages in chats you are a member of now; other ids are left out. ` +
        'Each URL (`/files/:id/:variant?u=…&exp=…&sig=…`) works until `expiresAt` (FILE_URL_TTL_S) and only while you stay a member: ' +
        'the download checks membership again. `preview` and `thumb` exist for images.',
    },
    run: attachmentUrls,
  }),
];
