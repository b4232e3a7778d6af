import { buildOpenApiDocument } from './build-document.js';
import { operations } from '../../operations/table.js';
import { operationRoutes } from './operation-routes.js';
import { fileRoutes } from './routes/file-routes.js';
import { opsRoutes } from './routes/ops-routes.js';

let built: Record<string, unknown> | null = null;

/**
 * The OpenAPI 3.1 description of every REST route: the table of operations' routes, made from
 * their entries (operation-routes.ts), and the ops routes, which are not operations
 * (routes/ops-routes.ts), and the streamed upload and the downloads (routes/file-routes.ts). The component tests fail for any route the document lacks, and for
 * any answer that does not match it.
 */
export function openApiDocument(): Record<string, unknown> {
  built ??= buildOpenApiDocument(
    {
      title: 'Chat service API',
      version: '1.0.0',
      description:
        'REST API of the chat service. Real-time traffic goes over socket.io (see docs/PROTOCOL.md); ' +
        'these routes offer the same use cases. Errors are always `{error: {code, message, fields?}}`.',
    },
    [...operationRoutes(operations), ...fileRoutes, ...opsRoutes],
  );
  return built;
}
