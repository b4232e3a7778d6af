import type { HttpTestingController, TestRequest } from '@angular/common/http/testing';

/** Lets pending promise callbacks run (works with jasmine's mock clock installed). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** Yields one real browser task; jasmine's mock clock does not touch MessageChannel. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Waits (up to `timeoutMs` of real time) for the app to issue a request, e.g. after taking a Web Lock. */
export async function nextRequest(http: HttpTestingController, url: string, timeoutMs = 3000): Promise<TestRequest> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const [request] = http.match(url);
    if (request) return request;
    await settle();
    await nextTask();
  }
  throw new Error(`No request to ${url} within ${timeoutMs} ms`);
}

/** Lets a component settle twice over: pending promises, then its rendering, then what that started. */
export async function stableTwice(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await settle();
    await fixture.whenStable();
  }
}

/** Waits (up to `timeoutMs` of real time) until `condition` holds, e.g. after a lazily loaded chunk arrived. */
export async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition() && performance.now() < deadline) {
    await settle();
    await nextTask();
  }
}
