import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../app-error.js';
import type { SsoKey } from './sso-key.js';

/** How far the host's clock may be off from ours, in seconds. */
export const SSO_CLOCK_TOLERANCE_S = 30;

export interface SsoExpectations {
  /** SSO_ISSUER: when set, `iss` must equal it. */
  issuer?: string;
  /** SSO_AUDIENCE: when set, `aud` must contain it. */
  audience?: string;
}

/**
 * Checks the host site's JWT: its signature with the configured key and algorithm only (the
 * token's header cannot choose the algorithm or bring a key: `alg: none`, `jwk`, `jku`,
 * `x5u` and `kid` are never honoured), `exp` present and not past, `nbf` respected, both with
 * 30 s of tolerance, and `iss` / `aud` when configured.
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
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      throw new AppError('unauthenticated', refusal(error));
    }
  }
}

function refusal(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The SSO token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `The SSO token must carry the "${error.claim}" claim`;
    switch (error.claim) {
      case 'nbf':
        return 'The SSO token is not valid yet';
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
