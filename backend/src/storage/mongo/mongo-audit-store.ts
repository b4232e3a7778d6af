import { newAuditRecord } from '../records/audit.js';
import type { AuditRecord, AuditStore, NewAuditEntry } from '../storage.js';
import { auditToDoc, docToAudit, type AuditDoc } from './audit-model.js';
import { withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';

export class MongoAuditStore implements AuditStore {
  constructor(private readonly models: MongoModels) {}

  async append(entry: NewAuditEntry): Promise<AuditRecord> {
    const record = newAuditRecord(entry, new Date().toISOString());
    await withMongoErrors(() => this.models.audit.insertMany([auditToDoc(record)]));
    return record;
  }

  /** ULIDs sort by time, so newest first is descending `_id`, and `before` is a plain bound on it. */
  async list(options: { before?: string; limit: number }): Promise<AuditRecord[]> {
    const filter = options.before === undefined ? {} : { _id: { $lt: options.before } };
    const docs = await withMongoErrors(() =>
      this.models.audit.find(filter).sort({ _id: -1 }).limit(options.limit).lean<AuditDoc[]>(),
    );
    return docs.map(docToAudit);
  }
}
