import { pino, type Logger } from 'pino';

/** Structured logs. Secrets and message bodies are redacted wherever they might appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [
        'password', '*.password', 'token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken',
        'body', '*.body', 'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
  });
}
