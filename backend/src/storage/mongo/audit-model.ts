import { Schema, type Connection, type Model } from 'mongoose';
import type { AuditRecord } from '../storage.js';

/**
 * One audit entry in the `auditLog` collection. Ids are ULIDs, so `_id` order is time order
 * and paging newest first walks the primary key.
 */
export interface AuditDoc {
  _id: string;
  actorId: string | null;
  action: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

const auditSchema = new Schema<AuditDoc>(
  {
    _id: { type: String, required: true },
    actorId: { type: String, default: null },
    action: { type: String, required: true },
    targetId: { type: String, default: null },
    details: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: String, required: true },
  },
  // minimize: false keeps `details: {}` as {} rather than dropping it.
  { versionKey: false, id: false, minimize: false },
);

export function auditModel(connection: Connection): Model<AuditDoc> {
  return connection.model<AuditDoc>('Audit', auditSchema, 'auditLog');
}

export function auditToDoc(entry: AuditRecord): AuditDoc {
  return {
    _id: entry.id,
    actorId: entry.actorId,
    action: entry.action,
    targetId: entry.targetId,
    details: entry.details,
    createdAt: entry.createdAt,
  };
}

export function docToAudit(doc: AuditDoc): AuditRecord {
  return {
    id: doc._id,
    actorId: doc.actorId ?? null,
    action: doc.action,
    targetId: doc.targetId ?? null,
    details: doc.details ?? null,
    createdAt: doc.createdAt,
  };
}
