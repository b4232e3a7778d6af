/**
 * A test server whose write and socket-event budgets are out of the way (the tests that use it
 * send far more than a person would), on MongoDB when `mongoUri` is given, with a REST client
 * whose every answer is checked against the server's OpenAPI document.
 */
import { startTestServer, type TestServer } from '../start-test-server.js';
import { CheckedClient, OpenApiValidator } from './openapi-validator.js';

export async function startUnthrottledServer(mongoUri?: string): Promise<{ t: TestServer; api: CheckedClient }> {
  const t = await startTestServer({
    WRITES_BURST: 10_000,
    WRITES_PER_SECOND: 10_000,
    SOCKET_EVENTS_BURST: 10_000,
    SOCKET_EVENTS_PER_SECOND: 10_000,
    ...(mongoUri && { MONGODB_URI: mongoUri }),
  });
  return { t, api: new CheckedClient(t.url, await OpenApiValidator.load(t.url)) };
}
