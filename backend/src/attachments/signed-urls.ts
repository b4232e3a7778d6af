import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AttachmentVariant } from '../../../shared/src/schemas/attachments.js';

/** What a signed download URL grants: one variant of one attachment, to one user, until `exp` (seconds since the epoch). */
export interface FileGrant {
  attachmentId: string;
  variant: AttachmentVariant;
  userId: string;
  exp: number;
}

/**
 * Short-lived download URLs: `/files/:id/:variant?u=<userId>&exp=<s>&sig=<hmac>`, the HMAC-SHA256
 * of (id, variant, user, exp) under a key derived from the server secret (JWT_SECRET), so any
 * process of a cluster verifies what another signed. The URL only says who it was issued to:
 * the download still checks that this user is a member of the chat now.
 */
export class FileUrlSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    /** How long a URL stays valid, in seconds. */
    readonly ttlS: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', secret).update('parley file urls v1').digest();
  }

  /** A path with its query, valid for ttlS seconds from now. */
  sign(attachmentId: string, variant: AttachmentVariant, userId: string): { url: string; exp: number } {
    const exp = Math.floor(this.now() / 1000) + this.ttlS;
    const sig = this.mac({ attachmentId, variant, userId, exp });
    const query = new URLSearchParams({ u: userId, exp: String(exp), sig });
    return { url: `/files/${encodeURIComponent(attachmentId)}/${variant}?${query.toString()}`, exp };
  }

  /** The grant a URL's parts carry when the signature is right and it has not expired; null otherwise. */
  verify(attachmentId: string, variant: AttachmentVariant, query: { u?: unknown; exp?: unknown; sig?: unknown }): FileGrant | null {
    const { u, exp, sig } = query;
    if (typeof u !== 'string' || typeof exp !== 'string' || typeof sig !== 'string') return null;
    if (!/^\d{1,12}$/.test(exp) || u.length > 64 || sig.length > 64) return null;
    const grant: FileGrant = { attachmentId, variant, userId: u, exp: Number(exp) };
    const expected = Buffer.from(this.mac(grant));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (grant.exp * 1000 <= this.now()) return null;
    return grant;
  }

  private mac(grant: FileGrant): string {
    return createHmac('sha256', this.key)
      .update([grant.attachmentId, grant.variant, grant.userId, String(grant.exp)].join('\n'))
      .digest('base64url');
  }
}
