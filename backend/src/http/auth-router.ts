import express, { type Request, type Router } from 'express';
import { refreshSchema } from '../../../shared/src/schemas/accounts.js';
import type { AccountService } from '../accounts/account-service.js';
import { AppError } from '../app-error.js';
import type { Config } from '../config.js';
import { parseInput } from '../validation.js';
import { loginCredentials } from './login-credentials.js';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie.js';

/** /api/auth: register, login, refresh, logout. Each route calls one account use case. */
export function createAuthRouter(deps: { config: Config; accounts: AccountService }): Router {
  const { config, accounts } = deps;
  const router = express.Router();

  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/register', async (req, res) => {
    res.status(201).json(await accounts.register(req.body, { ip: clientAddress(req) }));
  });

  router.post('/login', async (req, res) => {
    const tokens = await accounts.logIn(loginCredentials(req), { ip: clientAddress(req) });
    setRefreshCookie(res, req, config, tokens.refreshToken);
    res.json(tokens);
  });

  router.post('/refresh', async (req, res) => {
    const { refreshToken } = parseInput(refreshSchema, req.body ?? {});
    try {
      const tokens = await accounts.refresh(refreshToken ?? readRefreshCookie(req));
      setRefreshCookie(res, req, config, tokens.refreshToken);
      res.json(tokens);
    } catch (error) {
      // A dead session's cookie is of no further use; keep it through transient failures.
      if (error instanceof AppError && (error.code === 'unauthenticated' || error.code === 'forbidden')) {
        clearRefreshCookie(res, req, config);
      }
      throw error;
    }
  });

  router.post('/logout', async (req, res) => {
    const { refreshToken } = parseInput(refreshSchema, req.body ?? {});
    await accounts.logOut(refreshToken ?? readRefreshCookie(req));
    clearRefreshCookie(res, req, config);
    res.status(204).end();
  });

  return router;
}

/** The client's address: the connection's peer, or the client named in X-Forwarded-For behind a TRUST_PROXY. */
function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
