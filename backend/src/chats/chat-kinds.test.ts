import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRecord, Storage } from '../storage/storage.js';
import { ChatKinds } from './chat-kinds.js';

/** A chat store that answers only when told to, counting its reads. */
function slowChats() {
  const pending: Array<(chat: ChatRecord | null) => void> = [];
  const storage = {
    chats: { byId: () => new Promise<ChatRecord | null>((resolve) => pending.push(resolve)) },
  } as unknown as Storage;
  return { storage, pending };
}

const group = { id: 'c1', kind: 'group' } as ChatRecord;

describe('ChatKinds', () => {
  it('reads a chat once however many lookups wait for it, and then not again', async () => {
    const { storage, pending } = slowChats();
    const kinds = new ChatKinds(storage);
    const lookups = Array.from({ length: 50 }, () => kinds.of('c1'));
    assert.equal(pending.length, 1);
    pending[0]!(group);
    assert.deepEqual(new Set(await Promise.all(lookups)), new Set(['group']));
    assert.equal(await kinds.of('c1'), 'group');
    assert.equal(pending.length, 1);
  });

  it('does not remember a chat that is not there, nor a read that failed', async () => {
    const { storage, pending } = slowChats();
    const kinds = new ChatKinds(storage);
    const missing = kinds.of('c1');
    pending[0]!(null);
    assert.equal(await missing, null);
    const again = kinds.of('c1');
    assert.equal(pending.length, 2, 'a chat created since is found');
    pending[1]!(group);
    assert.equal(await again, 'group');

    const failing = new ChatKinds({ chats: { byId: () => Promise.reject(new Error('store down')) } } as unknown as Storage);
    await assert.rejects(failing.of('c2'), /store down/);
    await assert.rejects(failing.of('c2'), /store down/);
  });
});
