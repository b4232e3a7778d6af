/** Where an anonymous request (registration, sign-in, refresh) came from. */
export interface Origin {
  /** The client's address (behind a TRUST_PROXY, the one X-Forwarded-For names). */
  ip: string;
  /** The refresh token the httpOnly cookie carries, if any. */
  refreshCookie?: string;
}
