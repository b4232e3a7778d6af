import { z } from 'zod';

/** Ids are ULIDs: 26 Crockford base-32 characters that sort by creation time. */
export const idSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an id');

/** A client-generated UUID that makes a send idempotent. */
export const clientIdSchema = z.uuid({ message: 'must be a UUID' });

export const MAX_MESSAGE_LENGTH = 4000;
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 50;

export const pageLimitSchema = z.int().min(1).max(MAX_PAGE_SIZE);
