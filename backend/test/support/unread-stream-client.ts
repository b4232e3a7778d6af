/** A reader of the unread stream (server-sent events) over fetch, for the tests. */
import type { UnreadCounts } from '../../../shared/src/schemas/unread.js';

export interface UnreadStreamReader {
  /** The HTTP status the stream was answered with. */
  status: Promise<number>;
  /** The next `unread` event not yet taken; rejects after `timeoutMs`. */
  next(timeoutMs: number): Promise<UnreadCounts>;
  /** Resolves when the server ends the stream. */
  closed(): Promise<void>;
  /** Heartbeat comment lines seen so far. */
  heartbeats(): number;
  close(): void;
}

export function readUnreadStream(url: string, headers: Record<string, string> = {}): UnreadStreamReader {
  const abort = new AbortController();
  const queue: UnreadCounts[] = [];
  const waiters: Array<(counts: UnreadCounts) => void> = [];
  let heartbeats = 0;
  let ended: () => void = () => {};
  const endedPromise = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const status = fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal }).then((response) => {
    if (response.ok && response.body) void pump(response.body);
    return response.status;
  });
  async function pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) {
          ended();
          return;
        }
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(': heartbeat')) heartbeats++;
          const data = /^event: unread\ndata: (.*)$/m.exec(block);
          if (!data) continue;
          const counts = JSON.parse(data[1]!) as UnreadCounts;
          const waiter = waiters.shift();
          if (waiter) waiter(counts);
          else queue.push(counts);
        }
      }
    } catch {
      // Closed.
    }
  }
  return {
    status,
    next(timeoutMs) {
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise<UnreadCounts>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(done), 1);
          reject(new Error(`no unread event within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (counts: UnreadCounts) => {
          clearTimeout(timer);
          resolve(counts);
        };
        waiters.push(done);
      });
    },
    closed: () => endedPromise,
    heartbeats: () => heartbeats,
    close: () => abort.abort(),
  };
}
