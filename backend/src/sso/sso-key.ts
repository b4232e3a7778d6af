import { createPublicKey } from 'node:crypto';
import { importSPKI, type CryptoKey } from 'jose';
import type { Config } from '../config.js';

/** The one key and the one algorithm SSO tokens must be signed with. */
export interface SsoKey {
  algorithm: 'HS256' | 'RS256' | 'ES256' | 'ES384' | 'ES512';
  key: CryptoKey | Uint8Array;
}

export class SsoConfigError extends Error {}

/** HMAC secrets shorter than the hash output make HS256 guessable. */
const MIN_SECRET_BYTES = 32;

const EC_ALGORITHM: Record<string, SsoKey['algorithm']> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/**
 * The verification key from the configuration, or null when single sign-on is off.
 * SSO_PUBLIC_KEY (an SPKI PEM) wins over SSO_SECRET: with a public key configured, HMAC tokens
 * are refused, so nobody can sign an HS256 token with the public key as its secret. The
 * algorithm follows from the key itself (RSA → RS256, EC P-256 → ES256, ...) and is the only
 * one accepted.
 * @throws SsoConfigError for a key that cannot be used.
 */
export async function resolveSsoKey(config: Partial<Pick<Config, 'SSO_SECRET' | 'SSO_PUBLIC_KEY'>>): Promise<SsoKey | null> {
  if (config.SSO_PUBLIC_KEY) return publicKey(config.SSO_PUBLIC_KEY);
  if (config.SSO_SECRET) {
    const key = new TextEncoder().encode(config.SSO_SECRET);
    if (key.length < MIN_SECRET_BYTES) throw new SsoConfigError(`SSO_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    return { algorithm: 'HS256', key };
  }
  return null;
}

async function publicKey(configured: string): Promise<SsoKey> {
  // Environment files often carry the PEM on one line with literal \n.
  const pem = configured.includes('-----BEGIN') ? configured.replace(/\\n/g, '\n').trim() : configured;
  let algorithm: SsoKey['algorithm'] | undefined;
  try {
    const parsed = createPublicKey(pem);
    if (parsed.asymmetricKeyType === 'rsa') algorithm = 'RS256';
    else if (parsed.asymmetricKeyType === 'ec') algorithm = EC_ALGORITHM[parsed.asymmetricKeyDetails?.namedCurve ?? ''];
  } catch {
    throw new SsoConfigError('SSO_PUBLIC_KEY is not a PEM public key (-----BEGIN PUBLIC KEY-----)');
  }
  if (!algorithm) throw new SsoConfigError('SSO_PUBLIC_KEY must be an RSA or an EC (P-256, P-384, P-521) public key');
  try {
    return { algorithm, key: await importSPKI(pem, algorithm) };
  } catch {
    throw new SsoConfigError('SSO_PUBLIC_KEY must be an SPKI PEM (-----BEGIN PUBLIC KEY-----)');
  }
}
