import { accountOperations } from './account-operations.js';
import { adminOperations } from './admin-operations.js';
import { attachmentOperations } from './attachment-operations.js';
import { blockOperations } from './block-operations.js';
import { chatOperations } from './chat-operations.js';
import { groupOperations } from './group-operations.js';
import { messageOperations } from './message-operations.js';
import type { Operation, RequestEvent } from './operation.js';
import { presenceOperations } from './presence-operations.js';
import { receiptOperations } from './receipt-operations.js';
import { syncOperations } from './sync-operations.js';

/**
 * Every operation of the service, whichever transport carries it. The socket handlers
 * (realtime/socket-operations.ts), the REST routes (http/rest-operations.ts) and the OpenAPI
 * document (http/openapi/openapi-document.ts) are all made from this list; the REST routes
 * and the document follow its order.
 */
const table = [
  ...accountOperations,
  ...chatOperations,
  ...messageOperations,
  ...attachmentOperations,
  ...receiptOperations,
  ...groupOperations,
  ...syncOperations,
  ...presenceOperations,
  ...blockOperations,
  ...adminOperations,
];
export const operations: readonly Operation[] = checked(table);

/** Every request event of the contract (shared/src/socket-events.ts) has an entry; the compiler names any that has none. */
type Unhandled = Exclude<RequestEvent, NonNullable<(typeof table)[number]['event']>>;
export const everyEventHasAnEntry: [Unhandled] extends [never] ? true : Unhandled = true;

/** Names, events and routes are each unique; every operation is reachable, and its entry is coherent. */
function checked(table: Operation[]): Operation[] {
  const seen = new Set<string>();
  const once = (key: string) => {
    if (seen.has(key)) throw new Error(`${key} is in the table of operations twice`);
    seen.add(key);
  };
  for (const op of table) {
    once(`operation ${op.name}`);
    if (op.event) once(`event ${op.event}`);
    if (op.rest) once(`route ${op.rest.method.toUpperCase()} ${op.rest.path}`);
    if (!op.event && !op.rest) throw new Error(`operation ${op.name} has neither a socket event nor a REST route`);
    if (op.event && op.access !== 'user') throw new Error(`operation ${op.name}: socket events are for signed-in users`);
    if (op.write && op.access !== 'user') throw new Error(`operation ${op.name}: the write budget is a signed-in user's`);
    if (op.rest && Object.keys(op.rest.success).length !== 1 && !op.rest.status) {
      throw new Error(`operation ${op.name}: several success statuses need a rule (status) to choose`);
    }
  }
  return table;
}
