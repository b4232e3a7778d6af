import type { LiveUpdates } from '../live-updates.js';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { AccountService } from '../accounts/account-service.js';
import { AuditTrail } from '../admin/audit-trail.js';
import type { Config } from '../config.js';
import { signInWithSso, type StartSession } from '../sso/sso-sign-in.js';
import type { SsoKey } from '../sso/sso-key.js';
import { SsoTokenVerifier } from '../sso/sso-token-verifier.js';
import type { Storage } from '../storage/storage.js';
import { setRefreshCookie } from './refresh-cookie.js';

export interface SsoRouterDeps {
  config: Config;
  storage: Storage;
  accounts: AccountService;
  /** Null when SSO_SECRET and SSO_PUBLIC_KEY are both unset: the route then answers 404. */
  ssoKey: SsoKey | null;
  live: LiveUpdates;
  logger: Logger;
}

/**
 * POST /sso under /api/auth: the host site's JWT in, our tokens out, with the refresh cookie
 * set exactly as login sets it.
 */
export function createSsoRouter(deps: SsoRouterDeps): Router {
  const router = express.Router();
  const sso = {
    verifier: deps.ssoKey
      ? new SsoTokenVerifier(deps.ssoKey, { issuer: deps.config.SSO_ISSUER, audience: deps.config.SSO_AUDIENCE })
      : null,
    storage: deps.storage,
    startSession: sessionStarter(deps.accounts),
    audit: new AuditTrail(deps.storage.audit),
    live: deps.live,
    logger: deps.logger,
  };

  router.post('/sso', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const tokens = await signInWithSso(sso, req.body);
    setRefreshCookie(res, req, deps.config, tokens.refreshToken);
    res.json(tokens);
  });

  return router;
}

/** The accounts use case's own session start (tokens, refresh family), as used by login. */
function sessionStarter(accounts: AccountService): StartSession {
  return (user) => accounts.startSession(user);
}
