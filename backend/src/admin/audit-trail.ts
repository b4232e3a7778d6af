import { DEFAULT_AUDIT_PAGE_SIZE, type AuditEntry, type AuditPage, type AuditQuery } from '../../../shared/src/schemas/admin.js';
import type { AuditRecord, AuditStore } from '../storage/storage.js';
import { auditIdentity, type AdminActor } from './admin-actor.js';

/** Who caused an audit entry: an administrator or the API key, start-up, or a single sign-on. */
export type AuditSource = AdminActor | { via: 'startup' } | { via: 'sso' };

/**
 * The append-only record of administrative actions. Entries name the actor and the target,
 * and carry details such as field names and reasons, never passwords or tokens.
 */
export class AuditTrail {
  constructor(private readonly store: AuditStore) {}

  async record(source: AuditSource, action: string, targetId: string | null, details: Record<string, unknown> = {}): Promise<void> {
    const { actorId, via } =
      source.via === 'user' || source.via === 'api-key' ? auditIdentity(source) : { actorId: null, via: source.via };
    await this.store.append({ actorId, action, targetId, details: { via, ...details } });
  }

  /** Newest first. */
  async page({ before, limit = DEFAULT_AUDIT_PAGE_SIZE }: AuditQuery): Promise<AuditPage> {
    // One entry more than asked tells whether older ones exist.
    const records = await this.store.list({ before, limit: limit + 1 });
    const entries = records.slice(0, limit).map(toAuditEntry);
    return { entries, nextBefore: records.length > limit ? (entries.at(-1)?.id ?? null) : null };
  }
}

function toAuditEntry(record: AuditRecord): AuditEntry {
  return {
    id: record.id,
    actorId: record.actorId,
    action: record.action,
    targetId: record.targetId,
    details: record.details,
    createdAt: record.createdAt,
  };
}

/** The audit trail, newest first, a page at a time. */
export function readAudit(deps: { audit: AuditTrail }, _actor: AdminActor, query: AuditQuery): Promise<AuditPage> {
  return deps.audit.page(query);
}
