/**
 * Webhooks and unread streams across two real server processes sharing one SQLite file and one
 * redis-server: exactly one process delivers a subscription (the lease in Redis); when it is
 * SIGKILLed in the middle of a batch, the other takes over from the stored cursor and no event
 * is lost (the batch it had in flight comes again, with the same event ids). An unread stream
 * opened on one process hears a message sent through the other.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { newWebhookSecret } from '../src/webhooks/webhook-signature.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import { redisForTests, type RunningRedis } from './support/redis-server.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { seedUsers, type TestUser } from './support/stored-users.js';
import { readUnreadStream } from './support/unread-stream-client.js';
import { waitFor, waitForAsync } from './support/waiting.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const ADMIN_API_KEY = randomBytes(32).toString('hex');
const WAIT_MS = 20_000;
const LEASE_MS = 1500;

describe('webhooks with two server processes and Redis', { timeout: 180_000 }, () => {
  let redis: RunningRedis;
  let redisClient: Redis;
  let dataDir: string;
  const nodes: ServerProcess[] = [];
  let users: Record<string, TestUser> = {};
  let group: string;
  let host: WebhookReceiver;
  const secret = newWebhookSecret();
  let env: Record<string, string> = {};

  before(async () => {
    redis = await redisForTests();
    redisClient = new Redis(redis.url);
    dataDir = mkdtempSync(join(tmpdir(), 'chat-webhook-cluster-'));
    const jwtSecret = randomBytes(48).toString('base64url');
    const storage = await openSqliteStorage({ file: join(dataDir, 'chat.sqlite') });
    try {
      users = await seedUsers(storage, jwtSecret, ['ada', 'ben']);
      group = (await storage.chats.createGroup({ name: 'team', passwordHash: null, creatorId: users['ada']!.user.id, memberIds: [users['ada']!.user.id, users['ben']!.user.id] })).id;
    } finally {
      await storage.close();
    }
    env = {
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      REDIS_URL: redis.url,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      STATIC_DIR: join(dataDir, 'no-static-app'),
      ADMIN_API_KEY,
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_POLL_MS: '100',
      WEBHOOK_LEASE_MS: String(LEASE_MS),
      WEBHOOK_BATCH_SIZE: '3',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_MAX_MS: '500',
      WEBHOOK_TIMEOUT_MS: '60000',
    };
    nodes.push(...(await Promise.all([startServerProcess({ env }), startServerProcess({ env })])));
    host = await WebhookReceiver.start(secret);
  });

  after(async () => {
    await host?.close();
    await Promise.all(nodes.map((node) => node.stop()));
    redisClient?.disconnect();
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function send(node: ServerProcess, from: TestUser, body: string): Promise<string> {
    const res = await fetch(`${node.url}/api/chats/${group}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${from.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: randomUUID(), body }),
    });
    assert.equal(res.status, 201);
    return ((await res.json()) as { message: { id: string } }).message.id;
  }

  test('the delivering process is SIGKILLed mid-batch: the other takes over, no event lost, duplicates keep their ids', async () => {
    const [nodeA, nodeB] = nodes as [ServerProcess, ServerProcess];
    const created = await fetch(`${nodeA.url}/api/admin/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: host.url, events: ['message.created'], secret }),
    });
    assert.equal(created.status, 201);
    const webhookId = ((await created.json()) as { webhook: { id: string } }).webhook.id;

    host.holdRequests();
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push(await send(i % 2 === 0 ? nodeA : nodeB, users['ada']!, `before the crash ${i}`));
    await waitFor(() => host.holding >= 1, WAIT_MS);
    assert.equal(host.arrivals, 1, 'one process delivers: one batch in flight');

    // The lease names its holder (host:pid:nonce): kill exactly that process while its batch is unanswered.
    const holder = await redisClient.get(`chat:lease:webhook:${webhookId}`);
    assert.ok(holder);
    const holderPid = Number(holder.split(':').at(-2));
    const victim = nodes.find((node) => node.pid === holderPid);
    assert.ok(victim, `the lease holder ${holder} is one of the two processes`);
    const survivor = victim === nodeA ? nodeB : nodeA;
    victim.kill('SIGKILL');
    await victim.exited;
    host.release();

    for (let i = 0; i < 4; i++) sent.push(await send(survivor, users['ben']!, `after the crash ${i}`));
    await waitFor(() => {
      const ids = new Set(host.events().map((event) => event.data.message?.id));
      return sent.every((id) => ids.has(id));
    }, WAIT_MS);
    const events = host.events();
    const firstSeen: string[] = [];
    const byId = new Map<string, string>();
    for (const event of events) {
      const messageId = event.data.message!.id;
      const known = byId.get(event.id);
      if (known) assert.equal(known, messageId, 'a duplicate carries the same event id for the same message');
      else {
        byId.set(event.id, messageId);
        firstSeen.push(messageId);
      }
    }
    assert.deepEqual(firstSeen, sent, 'every event, first seen in order');
    assert.equal(host.rejected, 0);
    const newHolder = await redisClient.get(`chat:lease:webhook:${webhookId}`);
    assert.equal(Number(newHolder?.split(':').at(-2)), survivor.pid, 'the survivor holds the lease now');
  });

  test('an unread stream on one process hears a message sent through the other', async () => {
    const live = nodes.filter((node) => node.isRunning());
    assert.ok(live.length >= 1);
    const streamNode = live[0]!;
    // Two processes again: start a fresh one in place of the one killed above.
    let sender = live[1];
    if (!sender) {
      sender = await startServerProcess({ env });
      nodes.push(sender);
    }
    const stream = readUnreadStream(`${streamNode.url}/api/me/unread/stream`, { authorization: `Bearer ${users['ada']!.token}` });
    try {
      const first = await stream.next(WAIT_MS);
      await send(sender, users['ben']!, 'for the badge');
      const changed = await waitForAsync(async () => {
        const counts = await stream.next(WAIT_MS);
        return counts.unread > first.unread ? counts : undefined;
      }, WAIT_MS);
      assert.equal(changed.unread, first.unread + 1);
    } finally {
      stream.close();
    }
  });
});
