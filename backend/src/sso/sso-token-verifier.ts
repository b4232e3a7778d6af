import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../app-error.js';
import type { SsoKey } from './sso-key.js';

/** How far the host's clock may be off from ours, in seconds (for `exp`, `nbf` and `iat`). */
export const SSO_CLOCK_TOLERANCE_S = 30;

/** SSO_MAX_AGE_S unless configured. */
export const DEFAULT_SSO_MAX_AGE_S = 300;

/** The longest `jti` accepted, in characters. */
const JTI_MAX = 255;

export interface SsoExpectations {
  /** SSO_ISSUER: when set, `iss` must equal it. */
  issuer?: string;
  /** SSO_AUDIENCE: when set, `aud` must contain it. */
  audience?: string;
  /** SSO_MAX_AGE_S: how old, by `iat`, a token may be. */
  maxAgeS?: number;
  /** SSO_ALLOW_NO_JTI: accept tokens without `jti`. */
  allowNoJti?: boolean;
}

/**
 * Checks the host site's JWT: its signature with the configured key and algorithm only (the
 * token's header cannot choose the algorithm or bring a key: `alg: none`, `jwk`, `jku`,
 * `x5u` and `kid` are never honoured), `exp` present and not past, `iat` present, not in the
 * future and at most SSO_MAX_AGE_S old (so a token is expired at min(exp, iat + SSO_MAX_AGE_S)
 * whatever its `exp` says), `nbf` respected, all with 30 s of tolerance, `jti` present (unless
 * SSO_ALLOW_NO_JTI) and a string of 1 to 255 characters, and `iss` / `aud` when configured.
 * That the token is used only once is SsoReplayGuard's part.
 */
export class SsoTokenVerifier {
  constructor(
    private readonly ssoKey: SsoKey,
    private readonly expect: SsoExpectations,
  ) {}

  /** @throws AppError 401 saying what was wrong, never echoing the token. */
  async verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.ssoKey.key, {
        algorithms: [this.ssoKey.algorithm],
        issuer: this.expect.issuer,
        audience: this.expect.audience,
        clockTolerance: SSO_CLOCK_TOLERANCE_S,
        maxTokenAge: this.expect.maxAgeS ?? DEFAULT_SSO_MAX_AGE_S,
        requiredClaims: this.expect.allowNoJti ? ['exp', 'sub', 'iat'] : ['exp', 'sub', 'iat', 'jti'],
      });
      if (payload.jti !== undefined && (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > JTI_MAX)) {
        throw new AppError('unauthenticated', `The SSO token's "jti" claim must be a string of 1 to ${JTI_MAX} characters`);
      }
      return payload;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('unauthenticated', refusal(error));
    }
  }
}

function refusal(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The SSO token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `The SSO token must carry the "${error.claim}" claim`;
    if (error.reason === 'invalid') return `The SSO token's "${error.claim}" claim is invalid`;
    switch (error.claim) {
      case 'nbf':
        return 'The SSO token is not valid yet';
      case 'iat':
        return 'The SSO token is not valid yet: its "iat" is in the future';
      case 'iss':
        return 'The SSO token was issued by someone else';
      case 'aud':
        return 'The SSO token is meant for another audience';
      default:
        return `The SSO token's "${error.claim}" claim is invalid`;
    }
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The SSO token is signed with an algorithm this server does not accept';
  return 'Invalid SSO token';
}
