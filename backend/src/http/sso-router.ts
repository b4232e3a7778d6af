import type { LiveUpdates } from '../live-updates.js';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { AccountService } from '../accounts/account-service.js';
import { AuditTrail } from '../admin/audit-trail.js';
import type { Config } from '../config.js';
import { signInWithSso, type StartSession } from '../sso/sso-sign-in.js';
import type { Redis } from 'ioredis';
import type { SsoKey } from '../sso/sso-key.js';
import { RedisSsoTokenUseStore } from '../sso/redis-sso-token-use-store.js';
import { SsoReplayGuard } from '../sso/sso-token-replay.js';
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
  /** With REDIS_URL: a connected ioredis client; spent SSO tokens are then remembered in Redis. */
  redisClient?: unknown;
}

/**
 * POST /sso under /api/auth: the host site's JWT in, our tokens out, with the refresh cookie
 * set exactly as login sets it.
 */
export function createSsoRouter(deps: SsoRouterDeps): Router {
  const router = express.Router();
  const { config } = deps;
  const sso = {
    verifier: deps.ssoKey
      ? new SsoTokenVerifier(deps.ssoKey, {
          issuer: config.SSO_ISSUER,
          audience: config.SSO_AUDIENCE,
          maxAgeS: config.SSO_MAX_AGE_S,
          allowNoJti: config.SSO_ALLOW_NO_JTI === true,
        })
      : null,
    replay: deps.ssoKey
      ? new SsoReplayGuard({
          store: deps.redisClient ? new RedisSsoTokenUseStore(deps.redisClient as Redis) : deps.storage.ssoTokenUses,
          maxAgeS: config.SSO_MAX_AGE_S,
          logger: deps.logger,
        })
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
