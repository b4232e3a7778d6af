/** The audit record both adapters store. */
import { newId } from '../ids.js';
import type { AuditRecord, NewAuditEntry } from '../storage.js';

/** The entry with a fresh id (a ULID, so id order is time order) and `now` as its date. */
export function newAuditRecord(entry: NewAuditEntry, now: string): AuditRecord {
  return {
    id: newId(),
    actorId: entry.actorId,
    action: entry.action,
    targetId: entry.targetId,
    details: entry.details,
    createdAt: now,
  };
}
