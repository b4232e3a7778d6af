import type { Logger } from 'pino';
import type { AccessTokens } from '../accounts/access-tokens.js';
import type { LoginThrottle } from '../accounts/login-throttle.js';
import type { PasswordHasher, PasswordRequester } from '../accounts/password-hasher.js';
import type { RefreshTokens } from '../accounts/refresh-tokens.js';
import type { AuditTrail } from '../admin/audit-trail.js';
import type { ChatKinds } from '../chats/chat-kinds.js';
import type { RoomPasswords } from '../chats/room-passwords.js';
import type { FileServices } from '../attachments/file-services.js';
import type { LiveUpdates } from '../live-updates.js';
import type { PresenceRegistry } from '../presence/presence-registry.js';
import type { TypingTracker } from '../presence/typing-tracker.js';
import type { SsoReplayGuard } from '../sso/sso-token-replay.js';
import type { SsoTokenVerifier } from '../sso/sso-token-verifier.js';
import type { Storage } from '../storage/storage.js';

/**
 * Everything the use cases work with, built once by the composition root (chat-server.ts).
 * Each use case declares the part it uses; the table hands every one of them this object.
 */
export interface UseCaseDeps {
  storage: Storage;
  /** Reaches connected clients through per-user and per-chat rooms; ends sessions. */
  live: LiveUpdates;
  logger: Logger;
  presence: PresenceRegistry;
  typing: TypingTracker;
  /** Each chat's kind, from memory (it never changes). */
  chatKinds: ChatKinds;
  /** `messageEditWindowS`: seconds after sending during which a message may be edited; none when unset. */
  limits: { maxGroupMembers: number; maxSocketsPerUser: number; messageEditWindowS?: number };
  /** The process's one bcrypt queue; bound to the caller for operations of the `password-work` class. */
  passwords: PasswordHasher;
  /** Room passwords over the same queue, with their guessing throttle. */
  roomPasswords: RoomPasswords;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  loginThrottle: LoginThrottle;
  audit: AuditTrail;
  /** Blobs, signed download URLs and upload limits (attachments/file-services.ts). */
  files: FileServices;
  /** Null when single sign-on is not configured. */
  sso: { verifier: SsoTokenVerifier; replay: SsoReplayGuard } | null;
}

/** The deps with their bcrypt work rate-limited and queued as `requester`'s. */
export function withPasswordRequester(deps: UseCaseDeps, requester: PasswordRequester): UseCaseDeps {
  return { ...deps, passwords: deps.passwords.as(requester), roomPasswords: deps.roomPasswords.as(requester) };
}
