import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, isForbiddenLiteralHost, type Resolver } from './outbound-address.js';

export interface SendOptions {
  /** The whole exchange, connect to last byte read. */
  timeoutMs: number;
  allowPrivate: boolean;
  /** Ends the request early (the lease was lost). */
  signal?: AbortSignal;
  /** Only for the address check's tests; the system resolver otherwise. */
  resolve?: Resolver;
}

export type SendResult = { ok: true; status: number } | { ok: false; error: string; abandoned?: boolean };

/** The most of an answer's body that is read; the rest is thrown away unread. */
const MAX_RESPONSE_BYTES = 4096;

/**
 * POSTs one signed batch. Success is a 2xx answer. A redirect is a failure (never followed),
 * so is any other status, a timeout or a refused address. The connection's DNS lookup is
 * checked (outbound-address.ts) unless private addresses are allowed.
 */
export function sendWebhook(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
  const target = new URL(url);
  if (!options.allowPrivate && isForbiddenLiteralHost(target)) {
    return Promise.resolve({ ok: false, error: 'the address is not allowed' });
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const req = request(target, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Parley-Webhooks/1' },
      agent: false,
      ...(options.allowPrivate ? {} : { lookup: guardedLookup(options.resolve) as never }),
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    const onAbort = () => {
      req.destroy();
      finish({ ok: false, error: 'abandoned', abandoned: true });
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: error.code === 'EWEBHOOKADDRESS' ? 'the address is not allowed' : `${error.code ?? 'error'}: connection failed` }));
    req.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) response.destroy();
      });
      const done = () => finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` });
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    req.end(body);
  });
}
