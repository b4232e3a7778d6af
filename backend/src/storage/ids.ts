import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

/** A new ULID: unique, and sorted by creation time within a process. */
export function newId(): string {
  return next();
}
