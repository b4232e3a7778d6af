/** The storage contract for the webhook event log, subscriptions and leases; run by run-storage-contract.ts. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { NotFoundError } from '../errors.js';
import type { Storage } from '../storage.js';
import { assertPlainData } from './assertions.js';
import { createUsers, pause, sendText } from './fixtures.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** `current` gives the fresh storage of the running test. */
export function describeWebhookContract(current: () => Storage): void {
  describe('webhook event log', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('logs message.created and user.mentioned with the message, in order, with stable ids', async () => {
      const [ada, ben, cleo] = await createUsers(storage, 3);
      const group = await storage.chats.createGroup({ name: 'g', passwordHash: null, creatorId: ada.id, memberIds: [ada.id, ben.id, cleo.id] });
      const before = await storage.events.headPosition();
      const first = await sendText(storage, group.id, ada.id, 'one');
      const second = await storage.messages.append({
        chatId: group.id, kind: 'text', senderId: ben.id, clientId: 'c-2', body: 'hi @ada @cleo', notice: null, mentions: [ada.id, cleo.id],
      });
      const events = await storage.events.after(before, 100);
      assert.deepEqual(
        events.map((event) => [event.type, event.messageId, event.userId]),
        [
          ['message.created', first.id, null],
          ['message.created', second.id, null],
          ['user.mentioned', second.id, ada.id],
          ['user.mentioned', second.id, cleo.id],
        ],
      );
      for (let i = 1; i < events.length; i++) assert.ok(events[i]!.position > events[i - 1]!.position);
      assert.equal(new Set(events.map((event) => event.id)).size, events.length);
      assert.equal(await storage.events.headPosition(), events.at(-1)!.position);
      assert.deepEqual(await storage.events.after(events[1]!.position, 2), events.slice(2, 4));
      assertPlainData(events);
    });

    it('logs edits and deletes, not reactions, and joins and leaves', async () => {
      const [ada, ben, dan] = await createUsers(storage, 3);
      const group = await storage.chats.createGroup({ name: 'g', passwordHash: null, creatorId: ada.id, memberIds: [ada.id, ben.id] });
      const message = await sendText(storage, group.id, ada.id, 'before');
      const head = await storage.events.headPosition();
      await storage.messages.change(group.id, { kind: 'edit', messageId: message.id, actorId: ada.id, body: 'after' });
      await storage.messages.change(group.id, { kind: 'react', messageId: message.id, actorId: ben.id, emoji: '👍', on: true });
      await storage.messages.change(group.id, { kind: 'edit', messageId: message.id, actorId: ada.id, body: 'after' });
      await storage.messages.change(group.id, { kind: 'delete', messageId: message.id, actorId: ada.id, by: 'sender' });
      await storage.members.add(group.id, dan.id, 'member');
      await storage.members.remove(group.id, dan.id);
      await storage.members.add(group.id, dan.id, 'member');
      const events = await storage.events.after(head, 100);
      assert.deepEqual(
        events.map((event) => [event.type, event.messageId ?? event.userId]),
        [
          ['message.edited', message.id],
          ['message.deleted', message.id],
          ['member.joined', dan.id],
          ['member.left', dan.id],
          ['member.joined', dan.id],
        ],
      );
      assert.equal(new Set(events.map((event) => event.id)).size, events.length, 'a second join is an event of its own');
    });

    it('append leaves out an event whose id is already logged', async () => {
      const [ada] = await createUsers(storage, 1);
      const group = await storage.chats.createGroup({ name: 'g', passwordHash: null, creatorId: ada.id, memberIds: [ada.id] });
      const event = { id: 'evt_unread_x_y', type: 'message.unread_for_offline_user' as const, chatId: group.id, messageId: 'x', userId: 'y' };
      const head = await storage.events.headPosition();
      await storage.events.append([event]);
      await storage.events.append([event]);
      const logged = await storage.events.after(head, 10);
      assert.equal(logged.length, 1);
      assert.equal(logged[0]!.id, event.id);
    });

    it('pruning keeps positions from being handed out again', async () => {
      const [ada] = await createUsers(storage, 1);
      const group = await storage.chats.createGroup({ name: 'g', passwordHash: null, creatorId: ada.id, memberIds: [ada.id] });
      await sendText(storage, group.id, ada.id, 'one');
      await sendText(storage, group.id, ada.id, 'two');
      const head = await storage.events.headPosition();
      await pause(5);
      const pruned = await storage.events.pruneBefore(new Date().toISOString());
      assert.ok(pruned >= 1);
      await sendText(storage, group.id, ada.id, 'three');
      const [next] = await storage.events.after(head, 10);
      assert.ok(next && next.position > head, 'the next event comes after every earlier position');
    });
  });

  describe('webhook subscriptions', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('creates, lists, updates and deletes', async () => {
      const created = await storage.webhooks.create({ url: 'https://host.example/hook', events: ['message.created'], secret: SECRET, active: true, cursor: 3 });
      assert.equal(created.cursor, 3);
      assert.equal(created.failingSince, null);
      assert.deepEqual(await storage.webhooks.byId(created.id), created);
      const updated = await storage.webhooks.update(created.id, { events: ['member.joined', 'member.left'], active: false, pausedReason: 'by hand' });
      assert.deepEqual(updated.events, ['member.joined', 'member.left']);
      assert.equal(updated.active, false);
      assert.equal(updated.pausedReason, 'by hand');
      assert.deepEqual(await storage.webhooks.list(), [updated]);
      assertPlainData(updated);
      await storage.webhooks.delete(created.id);
      assert.equal(await storage.webhooks.byId(created.id), null);
      await assert.rejects(storage.webhooks.delete(created.id), NotFoundError);
      await assert.rejects(storage.webhooks.update(created.id, { active: true }), NotFoundError);
    });

    it('moves the cursor only from where it is, and clears the failure', async () => {
      const hook = await storage.webhooks.create({ url: 'https://host.example/hook', events: ['message.created'], secret: SECRET, active: true, cursor: 0 });
      const at = new Date().toISOString();
      await storage.webhooks.failed(hook.id, { failingSince: at, lastError: 'HTTP 500', lastAttemptAt: at, nextAttemptAt: at, attempts: 2 });
      const failing = await storage.webhooks.byId(hook.id);
      assert.equal(failing?.lastError, 'HTTP 500');
      assert.equal(failing?.attempts, 2);
      assert.equal(await storage.webhooks.delivered(hook.id, 5, 9, at), false, 'not from a cursor it does not have');
      assert.equal(await storage.webhooks.delivered(hook.id, 0, 9, at), true);
      const delivered = await storage.webhooks.byId(hook.id);
      assert.equal(delivered?.cursor, 9);
      assert.equal(delivered?.failingSince, null);
      assert.equal(delivered?.lastError, null);
      assert.equal(delivered?.attempts, 0);
      assert.equal(delivered?.lastDeliveredAt, at);
    });
  });

  describe('leases', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = current();
    });

    it('one holder at a time; the holder extends it; another takes it once it expires or is released', async () => {
      assert.equal(await storage.leases.acquire('hook-1', 'a', 60_000), true);
      assert.equal(await storage.leases.acquire('hook-1', 'b', 60_000), false);
      assert.equal(await storage.leases.acquire('hook-1', 'a', 60_000), true);
      assert.equal(await storage.leases.acquire('hook-2', 'b', 60_000), true, 'names are independent');
      await storage.leases.release('hook-1', 'b');
      assert.equal(await storage.leases.acquire('hook-1', 'b', 60_000), false, 'only the holder releases');
      await storage.leases.release('hook-1', 'a');
      assert.equal(await storage.leases.acquire('hook-1', 'b', 50), true);
      await pause(80);
      assert.equal(await storage.leases.acquire('hook-1', 'c', 60_000), true, 'an expired lease is taken over');
    });
  });
}
