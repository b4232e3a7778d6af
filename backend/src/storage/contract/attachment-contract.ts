/**
 * The storage contract for uploads (AttachmentStore): records, claims by a send, links to the
 * stored message, the reads of history, the quota, orphans and blob references; run by
 * run-storage-contract.ts.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { AttachmentRecord, NewAttachment, Storage, UserRecord } from '../storage.js';
import { assertIsoDate, assertPlainData } from './assertions.js';
import { createUsers, sendText } from './fixtures.js';

let keyCounter = 0;
function key(): string {
  keyCounter += 1;
  return keyCounter.toString(16).padStart(64, 'a');
}

function upload(uploaderId: string, overrides: Partial<NewAttachment> = {}): NewAttachment {
  return {
    uploaderId,
    purpose: 'message',
    name: 'photo.jpg',
    size: 1000,
    mime: 'image/jpeg',
    kind: 'image',
    width: 800,
    height: 600,
    animated: false,
    blobKey: key(),
    previewKey: key(),
    thumbKey: key(),
    ...overrides,
  };
}

export function describeAttachmentContract(current: () => Storage): void {
  describe('attachments', () => {
    let storage: Storage;
    let a: UserRecord, b: UserRecord;
    let chatId: string;
    beforeEach(async () => {
      storage = current();
      [a, b] = await createUsers(storage, 2);
      chatId = (await storage.chats.openDirect(a.id, b.id)).chat.id;
    });

    it('stores an upload unclaimed and reads it back as plain data', async () => {
      const created = await storage.attachments.create(upload(a.id));
      assertPlainData(created);
      assertIsoDate(created.createdAt);
      assert.equal(created.chatId, null);
      assert.equal(created.clientId, null);
      assert.equal(created.messageId, null);
      assert.deepEqual(await storage.attachments.byIds([created.id]), [created]);
      const file = await storage.attachments.create(upload(a.id, { kind: 'file', mime: 'application/pdf', width: null, height: null, previewKey: null, thumbKey: null }));
      assert.deepEqual(await storage.attachments.byIds([file.id]), [file]);
      assert.deepEqual(await storage.attachments.byIds([]), []);
      assert.deepEqual(await storage.attachments.byIds(['01ARZ3NDEKTSV4RRFFQ69G5FAV']), []);
    });

    it('a send claims all of its uploads in order, links them to its message, and history reads them', async () => {
      const [first, second] = [await storage.attachments.create(upload(a.id)), await storage.attachments.create(upload(a.id))];
      const claim = { uploaderId: a.id, clientId: 'client-x', chatId };
      assert.equal(await storage.attachments.claim([second!.id, first!.id], claim), true);
      const claimed = await storage.attachments.byIds([first!.id, second!.id]);
      assert.ok(claimed.every((record) => record.chatId === chatId && record.clientId === 'client-x' && record.messageId === null));
      const message = await sendText(storage, chatId, a.id);
      await storage.attachments.link(a.id, 'client-x', message.id);
      await storage.attachments.link(a.id, 'client-x', message.id);
      const ofMessage = await storage.attachments.ofMessages([message.id]);
      assert.deepEqual(ofMessage.map((record) => record.id), [second!.id, first!.id], 'in the order the send named them');
      assert.deepEqual(ofMessage.map((record) => record.position), [0, 1]);
      assert.ok(ofMessage.every((record) => record.messageId === message.id));
      assert.deepEqual(await storage.attachments.orphans(new Date(Date.now() + 60_000).toISOString(), 10), [], 'linked uploads are no orphans');
    });

    it('refuses the whole claim when any upload is foreign, unknown, for an avatar, or taken; changes nothing', async () => {
      const mine = await storage.attachments.create(upload(a.id));
      const theirs = await storage.attachments.create(upload(b.id));
      const avatar = await storage.attachments.create(upload(a.id, { purpose: 'avatar' }));
      const claim = { uploaderId: a.id, clientId: 'c1', chatId };
      assert.equal(await storage.attachments.claim([mine.id, theirs.id], claim), false);
      assert.equal(await storage.attachments.claim([mine.id, '01ARZ3NDEKTSV4RRFFQ69G5FAV'], claim), false);
      assert.equal(await storage.attachments.claim([mine.id, avatar.id], claim), false);
      assert.deepEqual(await storage.attachments.byIds([mine.id]), [mine], 'nothing claimed');
      assert.equal(await storage.attachments.claim([mine.id], claim), true);
      assert.equal(await storage.attachments.claim([mine.id], claim), true, 'the same send claims again harmlessly');
      assert.equal(await storage.attachments.claim([mine.id], { ...claim, clientId: 'c2' }), false, 'another send cannot take it');
      const message = await sendText(storage, chatId, a.id);
      await storage.attachments.link(a.id, 'c1', message.id);
      assert.equal(await storage.attachments.claim([mine.id], { ...claim, clientId: 'c3' }), false, 'an attached upload stays with its message');
    });

    it('racing claims of one upload: exactly one wins', async () => {
      const contested = await storage.attachments.create(upload(a.id));
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => storage.attachments.claim([contested.id], { uploaderId: a.id, clientId: `race-${i}`, chatId })),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('release gives back the claims of a send that failed', async () => {
      const record = await storage.attachments.create(upload(a.id));
      await storage.attachments.claim([record.id], { uploaderId: a.id, clientId: 'failed', chatId });
      await storage.attachments.release(a.id, 'failed');
      const [released] = await storage.attachments.byIds([record.id]);
      assert.equal(released!.clientId, null);
      assert.equal(await storage.attachments.claim([record.id], { uploaderId: a.id, clientId: 'next', chatId }), true);
    });

    it('sums an uploader\'s recent bytes, lists their uploads and the orphans by age, deletes, and knows which blobs are referred to', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const one = await storage.attachments.create(upload(a.id, { size: 300 }));
      const two = await storage.attachments.create(upload(a.id, { size: 700, blobKey: one.blobKey }));
      await storage.attachments.create(upload(b.id, { size: 5000 }));
      assert.equal(await storage.attachments.bytesSince(a.id, since), 1000);
      assert.equal(await storage.attachments.bytesSince(a.id, new Date(Date.now() + 60_000).toISOString()), 0);
      assert.deepEqual((await storage.attachments.ofUploader(a.id)).map((r: AttachmentRecord) => r.id), [one.id, two.id]);
      const orphans = await storage.attachments.orphans(new Date(Date.now() + 60_000).toISOString(), 10);
      assert.ok([one.id, two.id].every((id) => orphans.some((orphan) => orphan.id === id)));
      assert.deepEqual(await storage.attachments.orphans(since.replace(/^\d{4}/, '2000'), 10), [], 'none older than that');
      assert.equal(await storage.attachments.refersToBlob(one.blobKey), true);
      assert.equal(await storage.attachments.refersToBlob(one.thumbKey!), true);
      await storage.attachments.delete([one.id]);
      assert.equal(await storage.attachments.refersToBlob(one.blobKey), true, 'the other upload of the same bytes still refers to it');
      assert.equal(await storage.attachments.refersToBlob(one.thumbKey!), false);
      await storage.attachments.delete([two.id]);
      assert.equal(await storage.attachments.refersToBlob(one.blobKey), false);
      assert.deepEqual(await storage.attachments.byIds([one.id, two.id]), []);
    });
  });
}
