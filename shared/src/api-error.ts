import type { ApiError } from './schemas/errors.js';

/** What every socket request's ack callback receives. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };
export type AckCallback<T> = (response: Ack<T>) => void;
