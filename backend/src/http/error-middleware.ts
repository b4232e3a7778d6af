import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, toAppError } from '../app-error.js';

/** 404 for any /api route nothing matched. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'No such API route'));
};

/** 404 for any route nothing matched, outside /api too (a POST to the web app's paths, say). */
export const routeNotFound: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'No such route'));
};

/**
 * A path that does not percent-decode is refused before any route sees it, so every route
 * (API, static files, the web app's fallback) answers it the same way: 400 validation_failed.
 */
export const refuseMalformedPath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    next(new AppError('validation_failed', 'The request URL has an invalid percent-escape'));
    return;
  }
  next();
};

/**
 * The one error handler: every failure leaves as {error: {code, message, fields?}}. When an
 * answer has already begun, nothing more is written to it (a second answer would throw);
 * the connection is closed so that the client sees the answer was cut short.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    sendError(res, error, logger, req, bodyParserError(error));
  };
}

/**
 * Answers with what was thrown, mapped to its AppError: the status, Retry-After when the caller
 * should wait, and `{error: {code, message, fields?}}`. Internal errors are logged with the
 * request's method and path, never its body.
 */
export function sendError(res: Response, error: unknown, logger: Logger, req: Request, mapped?: AppError | null): void {
  const appError = mapped ?? toAppError(error);
  if (res.headersSent) {
    logger.warn({ err: error, method: req.method, path: req.path }, 'request failed after its answer began');
    res.destroy();
    return;
  }
  if (appError.code === 'internal') logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
  if (appError.retryAfterS !== undefined) res.setHeader('Retry-After', String(Math.ceil(appError.retryAfterS)));
  res.status(appError.status).json({ error: appError.toApiError() });
}

/** express.json() failures: oversized and malformed bodies. */
function bodyParserError(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  switch ((error as { type: string }).type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is too large');
    case 'entity.parse.failed':
      return new AppError('validation_failed', 'The request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('validation_failed', 'Unsupported body encoding');
    default:
      return null;
  }
}
