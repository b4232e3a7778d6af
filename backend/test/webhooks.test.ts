/**
 * Outgoing webhooks against a real HTTP receiver on loopback (support/webhook-receiver.ts),
 * which verifies every signature as a host would: the admin API (checked against the OpenAPI
 * document) and its refusals, delivery in order after the receiver was down, a wrong secret
 * caught by the receiver, a receiver that does not answer not holding up sending, replay, every
 * kind of event, and the pause after WEBHOOK_PAUSE_AFTER_H of failure.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { Webhook, WebhookEvent } from '../../shared/src/schemas/webhooks.js';
import { newWebhookSecret } from '../src/webhooks/webhook-signature.js';
import { startTestServer, type TestServer } from './start-test-server.js';
import { CheckedClient, OpenApiValidator } from './support/openapi-validator.js';
import { createUsers, type TestUser } from './support/stored-users.js';
import { waitFor, waitForAsync } from './support/waiting.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const API_KEY = randomBytes(32).toString('base64url');
const WAIT_MS = 15_000;

describe('outgoing webhooks', () => {
  let t: TestServer;
  let api: CheckedClient;
  let ada: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  let group: string;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    t = await startTestServer({
      ADMIN_API_KEY: API_KEY,
      WEBHOOK_ALLOW_PRIVATE: true,
      WEBHOOK_POLL_MS: 100,
      WEBHOOK_RETRY_BASE_MS: 100,
      WEBHOOK_RETRY_MAX_MS: 400,
      WEBHOOK_LEASE_MS: 3000,
      WEBHOOK_BATCH_SIZE: 4,
      WEBHOOK_TIMEOUT_MS: 60_000,
      WEBHOOK_UNREAD_DELAY_S: 1,
      WEBHOOK_PAUSE_AFTER_H: 0.0005, // 1.8 s
    });
    api = new CheckedClient(t.url, await OpenApiValidator.load(t.url));
    [ada, ben, cleo] = await createUsers(t, 'ada', 'ben', 'cleo');
    group = (await t.server.storage.chats.createGroup({ name: 'team', passwordHash: null, creatorId: ada.user.id, memberIds: [ada.user.id, ben.user.id, cleo.user.id] })).id;
  });

  after(async () => {
    for (const receiver of receivers) await receiver.close();
    await t?.close();
  });

  async function receiver(secret: string): Promise<WebhookReceiver> {
    const started = await WebhookReceiver.start(secret);
    receivers.push(started);
    return started;
  }

  async function subscribe(url: string, events: string[], secret?: string): Promise<{ webhook: Webhook; secret: string }> {
    const res = await api.post('/api/admin/webhooks', { token: API_KEY, body: { url, events, ...(secret && { secret }) } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  async function send(from: TestUser, body: string, chatId = group): Promise<{ id: string; seq: number }> {
    const res = await request(t.url)
      .post(`/api/chats/${chatId}/messages`)
      .set('Authorization', `Bearer ${from.token}`)
      .send({ clientId: randomUUID(), body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.message;
  }

  async function status(id: string): Promise<Webhook> {
    const res = await api.get(`/api/admin/webhooks/${id}`, { token: API_KEY });
    assert.equal(res.status, 200);
    return res.body;
  }

  const createdIds = (events: WebhookEvent[]) => events.filter((event) => event.type === 'message.created').map((event) => event.data.message?.id);

  test('the admin API: create (secret shown once), list, get, update, pause, resume, delete; refusals', async () => {
    const created = await subscribe('http://127.0.0.1:9/hooks', ['message.created', 'member.joined']);
    assert.match(created.secret, /^whsec_/);
    assert.equal(created.webhook.active, true);
    assert.equal(JSON.stringify(created.webhook).includes(created.secret), false, 'the view never carries the secret');
    const id = created.webhook.id;

    const listed = await api.get('/api/admin/webhooks', { token: API_KEY });
    assert.ok(listed.body.webhooks.some((hook: Webhook) => hook.id === id));
    assert.equal(JSON.stringify(listed.body).includes(created.secret), false);

    const updated = await api.patch(`/api/admin/webhooks/${id}`, { token: API_KEY, body: { events: ['member.left'] } });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.events, ['member.left']);

    const paused = await api.post(`/api/admin/webhooks/${id}/pause`, { token: API_KEY, body: { reason: 'maintenance' } });
    assert.equal(paused.body.active, false);
    assert.equal(paused.body.status.pausedReason, 'maintenance');
    const resumed = await api.post(`/api/admin/webhooks/${id}/resume`, { token: API_KEY });
    assert.equal(resumed.body.active, true);
    assert.equal(resumed.body.status.pausedReason, null);

    // Bad input: 400 with the fields named; nothing stored.
    const before = (await api.get('/api/admin/webhooks', { token: API_KEY })).body.webhooks.length;
    for (const [body, field] of [
      [{ url: 'ftp://host.example/', events: ['message.created'] }, 'url'],
      [{ url: 'https://host.example/', events: [] }, 'events'],
      [{ url: 'https://host.example/', events: ['message.exploded'] }, 'events.0'],
      [{ url: 'https://host.example/', events: ['message.created', 'message.created'] }, 'events'],
      [{ url: 'https://host.example/', events: ['message.created'], secret: 'hunter2' }, 'secret'],
      [{ url: 'https://host.example/', events: ['message.created'], extra: 1 }, ''],
    ] as const) {
      const res = await api.post('/api/admin/webhooks', { token: API_KEY, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
      if (field) assert.ok(res.body.error.fields?.[field], `${JSON.stringify(res.body.error)} names ${field}`);
    }
    const badReplay = await api.post(`/api/admin/webhooks/${id}/replay`, { token: API_KEY, body: { position: -1 } });
    assert.equal(badReplay.status, 400);
    assert.ok(badReplay.body.error.fields?.position);
    const beyond = await api.post(`/api/admin/webhooks/${id}/replay`, { token: API_KEY, body: { position: 1_000_000 } });
    assert.equal(beyond.status, 400);
    assert.equal((await api.patch(`/api/admin/webhooks/${id}`, { token: API_KEY, body: {} })).status, 400);
    assert.equal((await api.get('/api/admin/webhooks/not-an-id', { token: API_KEY })).status, 400);
    assert.equal((await api.get('/api/admin/webhooks/01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: API_KEY })).status, 404);
    assert.equal((await api.get('/api/admin/webhooks', { token: API_KEY })).body.webhooks.length, before);

    // Who may call: no credential 401, a user who is not an administrator 403.
    const anonymous = await api.post('/api/admin/webhooks', { body: { url: 'https://host.example/', events: ['message.created'] } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'unauthenticated');
    const notAdmin = await api.get('/api/admin/webhooks', { token: ada.token });
    assert.equal(notAdmin.status, 403);
    assert.equal(notAdmin.body.error.code, 'forbidden');

    assert.equal((await api.delete(`/api/admin/webhooks/${id}`, { token: API_KEY })).status, 204);
    assert.equal((await api.get(`/api/admin/webhooks/${id}`, { token: API_KEY })).status, 404);
  });

  test('a receiver that was down gets every event exactly once, in order, each batch signed', async () => {
    const secret = newWebhookSecret();
    const host = await receiver(secret);
    const { webhook } = await subscribe(host.url, ['message.created'], secret);
    await host.down();

    const sent: string[] = [];
    for (let i = 0; i < 10; i++) sent.push((await send(ada, `while down ${i}`)).id);
    const failing = await waitForAsync(async () => {
      const current = await status(webhook.id);
      return current.status.failingSince !== null && current.status.lastError !== null ? current : undefined;
    }, WAIT_MS);
    assert.equal(failing.status.cursor, webhook.status.cursor, 'nothing counted as delivered while down');

    await host.up();
    for (let i = 0; i < 3; i++) sent.push((await send(ben, `after ${i}`)).id);
    await waitFor(() => host.events().length >= sent.length, WAIT_MS);
    const events = host.events();
    assert.deepEqual(createdIds(events), sent, 'each once, in the order sent');
    assert.equal(new Set(events.map((event) => event.id)).size, events.length);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.position > events[i - 1]!.position);
    assert.ok(host.accepted.every((delivery) => delivery.batch.events.length <= 4), 'batches of at most WEBHOOK_BATCH_SIZE');
    assert.equal(host.rejected, 0);
    assert.equal(events[0]!.data.message?.sender?.username, 'ada');
    assert.equal(events[0]!.data.message?.body, 'while down 0');
    const caughtUp = await waitForAsync(async () => {
      const current = await status(webhook.id);
      return current.status.failingSince === null ? current : undefined;
    }, WAIT_MS);
    assert.equal(caughtUp.status.lastError, null);
  });

  test('a receiver that holds the secret wrong refuses the deliveries; with the right secret they go through', async () => {
    const host = await receiver(newWebhookSecret());
    const { webhook, secret } = await subscribe(host.url, ['message.created']);
    const message = await send(cleo, 'signed with the real secret');
    await waitFor(() => host.rejected >= 1, WAIT_MS);
    assert.equal(host.accepted.length, 0);
    const failing = await waitForAsync(async () => {
      const current = await status(webhook.id);
      return current.status.lastError ? current : undefined;
    }, WAIT_MS);
    assert.equal(failing.status.lastError, 'HTTP 401');

    host.secret = secret;
    await waitFor(() => host.accepted.length >= 1, WAIT_MS);
    assert.deepEqual(createdIds(host.events()), [message.id]);
  });

  test('a receiver that does not answer does not hold up sending', async () => {
    const secret = newWebhookSecret();
    const host = await receiver(secret);
    host.holdRequests();
    await subscribe(host.url, ['message.created'], secret);
    await send(ada, 'first, delivery held');
    await waitFor(() => host.holding >= 1, WAIT_MS);
    const sent: string[] = [];
    for (let i = 0; i < 8; i++) sent.push((await send(ben, `sent while the host hangs ${i}`)).id);
    assert.equal(host.holding, 1, 'the first delivery is still unanswered while all of these were stored and acknowledged');
    assert.equal(host.accepted.length, 0);
    host.release();
    await waitFor(() => host.events().length >= 9, WAIT_MS);
    assert.deepEqual(createdIds(host.events()).slice(1), sent);
  });

  test('a receiver that does not answer holds up only its own subscription', async () => {
    const slowSecret = newWebhookSecret();
    const slow = await receiver(slowSecret);
    slow.holdRequests();
    await subscribe(slow.url, ['message.created'], slowSecret);
    const quickSecret = newWebhookSecret();
    const quick = await receiver(quickSecret);
    await subscribe(quick.url, ['message.created'], quickSecret);
    const sent = [(await send(cleo, 'q1')).id, (await send(cleo, 'q2')).id];
    await waitFor(() => quick.events().length >= 2, WAIT_MS);
    assert.deepEqual(createdIds(quick.events()), sent);
    assert.equal(slow.holding, 1, 'the other subscription is still waiting for its answer');
    slow.release();
    await waitFor(() => slow.events().length >= 2, WAIT_MS);
    assert.deepEqual(createdIds(slow.events()), sent);
  });

  test('replay delivers again from any position, with the same event ids', async () => {
    const secret = newWebhookSecret();
    const host = await receiver(secret);
    const { webhook } = await subscribe(host.url, ['message.created'], secret);
    const sent = [(await send(ada, 'r1')).id, (await send(ada, 'r2')).id, (await send(ada, 'r3')).id];
    await waitFor(() => host.events().length >= 3, WAIT_MS);
    const first = host.events();
    const replayed = await api.post(`/api/admin/webhooks/${webhook.id}/replay`, { token: API_KEY, body: { position: first[1]!.position - 1 } });
    assert.equal(replayed.status, 200);
    assert.equal(replayed.body.status.cursor, first[1]!.position - 1);
    await waitFor(() => host.events().length >= 5, WAIT_MS);
    const all = host.events();
    assert.deepEqual(createdIds(all), [...sent, sent[1], sent[2]]);
    assert.deepEqual(all.slice(3).map((event) => event.id), first.slice(1).map((event) => event.id));
  });

  test('every kind of event, and message.unread_for_offline_user only for who has not read it', async () => {
    const secret = newWebhookSecret();
    const host = await receiver(secret);
    await subscribe(
      host.url,
      ['message.created', 'message.edited', 'message.deleted', 'member.joined', 'member.left', 'user.mentioned', 'message.unread_for_offline_user'],
      secret,
    );
    const [dan] = await createUsers(t, 'dan');
    const chat = (await t.server.storage.chats.createGroup({ name: 'events', passwordHash: null, creatorId: ada.user.id, memberIds: [ada.user.id, ben.user.id] })).id;
    await t.server.storage.members.add(chat, dan.user.id, 'member');
    const read = await send(ada, 'ben reads this one at once', chat);
    const readRes = await request(t.url).post(`/api/chats/${chat}/read`).set('Authorization', `Bearer ${ben.token}`).send({ upTo: read.id });
    assert.equal(readRes.status, 204);
    await t.server.storage.members.remove(chat, dan.user.id);
    const mention = await send(ada, `hello <@${ben.user.id}>`, chat);
    const edited = await request(t.url).patch(`/api/chats/${chat}/messages/${mention.id}`).set('Authorization', `Bearer ${ada.token}`).send({ body: 'hello again' });
    assert.equal(edited.status, 200);
    const deleted = await request(t.url).delete(`/api/chats/${chat}/messages/${mention.id}`).set('Authorization', `Bearer ${ada.token}`);
    assert.equal(deleted.status, 200);
    const unread = await send(ada, 'nobody reads this', chat);

    // The reminder for the last message comes a second after it, after everything above.
    const reminder = await waitFor(
      () => host.events().find((event) => event.type === 'message.unread_for_offline_user' && event.data.message?.id === unread.id),
      WAIT_MS,
    );
    const mine = host.events().filter((event) => event.data.chatId === chat);
    assert.deepEqual(
      mine.map((event) => [event.type, event.data.user?.username ?? null, event.data.message?.id ?? null]),
      [
        ['member.joined', 'dan', null],
        ['message.created', null, read.id],
        ['member.left', 'dan', null],
        ['message.created', null, mention.id],
        ['user.mentioned', 'ben', mention.id],
        ['message.edited', null, mention.id],
        ['message.deleted', null, mention.id],
        ['message.created', null, unread.id],
        ['message.unread_for_offline_user', 'ben', unread.id],
      ],
      'read, and deleted, messages get no reminder; the reminder names the offline recipient',
    );
    assert.equal(reminder.data.user?.id, ben.user.id);
    // Messages are sent as they are at delivery: the deleted one has its tombstone.
    const deletedEvent = mine.find((event) => event.type === 'message.deleted')!;
    assert.equal(deletedEvent.data.message?.body, '');
    assert.ok(deletedEvent.data.message?.deletedAt);
  });

  test('failing for WEBHOOK_PAUSE_AFTER_H pauses the subscription with the reason; resume delivers', async () => {
    const secret = newWebhookSecret();
    const host = await receiver(secret);
    host.status = 500;
    const { webhook } = await subscribe(host.url, ['message.created'], secret);
    const message = await send(ada, 'into a failing host');
    const paused = await waitForAsync(async () => {
      const current = await status(webhook.id);
      return current.active ? undefined : current;
    }, WAIT_MS);
    assert.match(paused.status.pausedReason ?? '', /failed deliveries; last error: HTTP 500/);
    assert.ok(paused.status.failingSince);
    const arrivalsWhenPaused = host.arrivals;

    host.status = 200;
    const resumed = await api.post(`/api/admin/webhooks/${webhook.id}/resume`, { token: API_KEY });
    assert.equal(resumed.body.active, true);
    await waitFor(() => host.accepted.length >= 1, WAIT_MS);
    assert.ok(host.arrivals > arrivalsWhenPaused);
    assert.deepEqual(createdIds(host.events()), [message.id]);
  });

  test('URLs inside are refused without WEBHOOK_ALLOW_PRIVATE', async () => {
    const strict = await startTestServer({ ADMIN_API_KEY: API_KEY });
    try {
      for (const url of ['http://127.0.0.1:8080/hook', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest', 'http://10.0.0.8/', 'http://localhost/']) {
        const res = await request(strict.url).post('/api/admin/webhooks').set('Authorization', `Bearer ${API_KEY}`).send({ url, events: ['message.created'] });
        assert.equal(res.status, 400, url);
        assert.ok(res.body.error.fields?.url, url);
      }
      const listed = await request(strict.url).get('/api/admin/webhooks').set('Authorization', `Bearer ${API_KEY}`);
      assert.deepEqual(listed.body.webhooks, []);
    } finally {
      await strict.close();
    }
  });
});
