import type { NextFunction, Request, Response } from 'express';

/** Express 5 forwards rejected promises itself; this only types a route as async. */
export type AsyncRoute = (req: Request, res: Response, next: NextFunction) => Promise<void>;
