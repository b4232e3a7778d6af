import { z } from 'zod';

/**
 * Configuration from the environment, validated once at start-up. Every variable is
 * documented in .env.example and README.md. There is no default secret here: when
 * JWT_SECRET is unset, jwt-secret.ts generates one under DATA_DIR.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  MONGODB_URI: optionalString,
  REDIS_URL: optionalString,
  /**
   * socket.io's Redis adapter: `sharded` (sharded pub/sub, Redis 7+: a broadcast reaches only the
   * processes with a member of its room), `classic` (every process receives every broadcast), or
   * `auto`: sharded when the server knows SPUBLISH, classic otherwise.
   */
  REDIS_ADAPTER: z.enum(['auto', 'sharded', 'classic']).default('auto'),
  JWT_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, 'JWT_SECRET must be at least 32 characters'),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: csv,
  /** express "trust proxy": a hop count, true/false, or addresses/subnets such as `loopback`. */
  TRUST_PROXY: optionalString.transform((v): boolean | number | string | undefined => {
    if (v === undefined) return undefined;
    if (/^\d+$/.test(v)) return Number(v);
    if (v === 'true' || v === 'false') return v === 'true';
    return v;
  }),
  AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(10).max(86_400).default(3600),
  REFRESH_TOKEN_TTL_S: z.coerce.number().int().min(60).max(30 * 86_400).default(86_400),
  STATIC_DIR: z.string().default('dist/frontend/browser'),
  /** The built chat widget (`ng build widget`), served under /widget/ to the CORS_ORIGINS' pages. */
  WIDGET_DIR: z.string().default('dist/widget/browser'),
  BODY_LIMIT: z.string().default('100kb'),
  MAX_SOCKET_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).default(10),
  MAX_GROUP_MEMBERS: z.coerce.number().int().min(2).default(500),
  /** Seconds after sending during which the sender may edit a message; unset (or empty): no limit. */
  MESSAGE_EDIT_WINDOW_S: optionalString
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number().int().min(1).optional()),
  SOCKET_EVENTS_PER_SECOND: z.coerce.number().int().min(1).default(20),
  SOCKET_EVENTS_BURST: z.coerce.number().int().min(1).default(40),
  LOGIN_ATTEMPTS_PER_USERNAME: z.coerce.number().int().min(1).default(5),
  LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(30),
  ROOM_PASSWORD_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** Per-user budget of writes (sends, group and chat changes, blocks), shared by REST and sockets. */
  WRITES_PER_SECOND: z.coerce.number().int().min(1).default(20),
  WRITES_BURST: z.coerce.number().int().min(1).default(40),
  /** bcrypt operations per minute: per signed-in user (group passwords, admin) and per client address (register, login). */
  BCRYPT_PER_USER_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  BCRYPT_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** bcrypt operations waiting for a turn: per requester, and in the whole process (503 busy beyond). */
  BCRYPT_QUEUE_PER_REQUESTER: z.coerce.number().int().min(0).default(4),
  BCRYPT_QUEUE_MAX: z.coerce.number().int().min(1).default(100),
  PRESENCE_TTL_S: z.coerce.number().int().min(5).default(30),
  ADMIN_USERNAME: optionalString,
  ADMIN_PASSWORD: optionalString,
  ADMIN_API_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, 'ADMIN_API_KEY must be at least 32 characters'),
  SSO_SECRET: optionalString,
  SSO_PUBLIC_KEY: optionalString,
  SSO_ISSUER: optionalString,
  SSO_AUDIENCE: optionalString,
  /** How old (by its `iat`) an SSO token may be, in seconds; it also caps a token's lifetime. */
  SSO_MAX_AGE_S: z.coerce.number().int().min(10).max(3600).default(300),
  /** Accept SSO tokens without `jti` (each is then single-use by its own digest). */
  SSO_ALLOW_NO_JTI: booleanFlag.optional(),
  SECURE_COOKIES: booleanFlag.optional(),
  /** Webhook URLs may point to loopback, private and link-local addresses (development, tests). */
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.optional(),
  /** Hours of failed deliveries after which a subscription is paused. */
  WEBHOOK_PAUSE_AFTER_H: z.coerce.number().positive().default(24),
  /** Seconds after a message before message.unread_for_offline_user is sent for recipients who have not read it and are offline. */
  WEBHOOK_UNREAD_DELAY_S: z.coerce.number().int().min(1).default(300),
  /** How often each process looks at the subscriptions, in ms. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(50).default(1000),
  /** How long a delivery lease lasts without renewal, in ms; a dead holder's subscriptions move after it. */
  WEBHOOK_LEASE_MS: z.coerce.number().int().min(500).default(15_000),
  /** The whole of one delivery request, in ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** The first retry's delay, doubling up to WEBHOOK_RETRY_MAX_MS, with jitter. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(1000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).default(600_000),
  /** Webhook events older than this are removed from the log (replay reaches back this far). */
  WEBHOOK_RETENTION_H: z.coerce.number().positive().default(168),
  /** Lifetime of a token for the unread stream's URL, in seconds. */
  UNREAD_STREAM_TOKEN_TTL_S: z.coerce.number().int().min(5).max(3600).default(60),
  /** Largest uploaded file, bytes; a longer upload is cut off with 413 as soon as it passes the limit. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).default(25 * 1024 * 1024),
  /** Bytes one user may upload in 24 hours. */
  UPLOAD_DAILY_QUOTA_BYTES: z.coerce.number().int().min(1).default(1024 * 1024 * 1024),
  /** Largest picture decoded at all, in pixels (width × height); larger ones are refused (decompression bombs). */
  UPLOAD_MAX_IMAGE_PIXELS: z.coerce.number().int().min(1).default(50_000_000),
  /** Seconds an upload may stay unattached to a message before it is removed. */
  UPLOAD_ORPHAN_TTL_S: z.coerce.number().int().min(1).default(86_400),
  /** Seconds a signed download URL stays valid. */
  FILE_URL_TTL_S: z.coerce.number().int().min(10).max(86_400).default(300),
  /** Where file bytes live: `disk` (DATA_DIR/blobs) or `gridfs` (the MongoDB of MONGODB_URI); default gridfs with MONGODB_URI, disk otherwise. */
  BLOB_STORE: z.enum(['disk', 'gridfs']).optional(),
});

export type Config = Omit<z.infer<typeof envSchema>, 'JWT_SECRET'> & {
  /** Resolved by resolveJwtSecret(): from the environment or the generated file. */
  JWT_SECRET: string;
};

export type RawConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function parseEnvironment(env: NodeJS.ProcessEnv): RawConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}
