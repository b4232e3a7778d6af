import type { Response } from 'express';
import type { Actor } from '../live-updates.js';
import { authenticatedUser } from './require-auth.js';

/** The signed-in user as the use cases know them. A REST request has no socket, so every tab of the user hears about its effects. */
export function requestActor(res: Response): Actor {
  return { userId: authenticatedUser(res).id };
}
