import type { ReadinessStatus } from '../../../shared/src/schemas/ops.js';

/** A named check: resolves when the dependency answers, throws (with a short reason) when it does not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  status: ReadinessStatus;
  /** Per check: 'ok', or why it failed. */
  checks: Record<string, string>;
}

/** How long one check may take before it counts as failed. */
const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * The dependencies this process needs to serve traffic. Any part of the service can add a
 * check at start-up (`readiness.add('redis', ...)`); /readyz runs them all at once and answers
 * 503 naming the ones that failed.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  constructor(private readonly timeoutMs = DEFAULT_CHECK_TIMEOUT_MS) {}

  /** @throws Error when a check of that name already exists. */
  add(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.outcome(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, outcome]) => outcome === 'ok') ? 'ok' : 'unavailable', checks };
  }

  private async outcome(check: ReadinessCheck): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([check(), timeout]);
      return 'ok';
    } catch (error) {
      return reasonOf(error);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A short, log-safe reason: the error's message without any connection string. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error && error.message ? error.message : 'failed';
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>').slice(0, 200);
}
