import type { Logger } from 'pino';
import type { Storage } from '../storage/storage.js';
import { removeAttachments } from './blob-cleanup.js';
import type { FileServices } from './file-services.js';

type Deps = { storage: Storage; files: FileServices; logger: Logger };

const BATCH = 100;

/**
 * Removes uploads no message took within UPLOAD_ORPHAN_TTL_S of their upload (never sent, or
 * claimed by a send that never finished; an avatar upload never used), with their blobs that
 * nothing else refers to. Returns how many went. Every process may sweep: removing twice is harmless.
 */
export async function sweepOrphans(deps: Deps, now = Date.now()): Promise<number> {
  const before = new Date(now - deps.files.limits.orphanTtlS * 1000).toISOString();
  let removed = 0;
  for (;;) {
    const orphans = await deps.storage.attachments.orphans(before, BATCH);
    if (orphans.length === 0) return removed;
    await removeAttachments(deps, orphans);
    removed += orphans.length;
    if (orphans.length < BATCH) return removed;
  }
}

/** Sweeps every min(UPLOAD_ORPHAN_TTL_S, 10 minutes), without keeping the process alive. */
export function startOrphanSweeper(deps: Deps): { stop(): void } {
  const everyMs = Math.min(deps.files.limits.orphanTtlS, 600) * 1000;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepOrphans(deps)
      .then((removed) => {
        if (removed > 0) deps.logger.info({ removed }, 'removed unattached uploads');
      })
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'sweeping unattached uploads failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
