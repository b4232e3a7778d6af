/**
 * Who performs an administrative action: an administrator signed in with their own access
 * token, or a program holding ADMIN_API_KEY. The audit trail records which.
 */
export type AdminActor = { via: 'user'; userId: string } | { via: 'api-key' };

/** The actor as the audit trail stores it: a user id when there is one, and how they came in. */
export function auditIdentity(actor: AdminActor): { actorId: string | null; via: AdminActor['via'] } {
  return actor.via === 'user' ? { actorId: actor.userId, via: 'user' } : { actorId: null, via: 'api-key' };
}
