import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MessageRecord, ReactionRecord, Storage } from '../storage/storage.js';
import { messageViews, newMessageView, quoteOf } from './message-view.js';

function record(id: string, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id,
    chatId: 'chat',
    seq: 1,
    kind: 'text',
    senderId: 'ada',
    clientId: null,
    body: `body of ${id}`,
    notice: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    deletedBy: null,
    replyToId: null,
    changeSeq: 0,
    mentions: [],
    ...overrides,
  };
}

/** A store that answers the two batch reads and counts every call. */
function fakeStorage(reactions: ReactionRecord[], stored: MessageRecord[]) {
  const calls: Array<{ method: string; ids: readonly string[] }> = [];
  const messages = {
    reactionsOf: async (ids: readonly string[]) => {
      calls.push({ method: 'reactionsOf', ids });
      return reactions.filter((reaction) => ids.includes(reaction.messageId));
    },
    byIds: async (ids: readonly string[]) => {
      calls.push({ method: 'byIds', ids });
      return stored.filter((message) => ids.includes(message.id));
    },
  };
  // No attachments here: the stores' own contract covers ofMessages.
  return { storage: { messages, attachments: { ofMessages: async () => [] } } as unknown as Storage, calls };
}

const reaction = (messageId: string, userId: string, emoji: string): ReactionRecord => ({ messageId, userId, emoji, createdAt: '2026-01-01T00:00:00.000Z' });

describe('message views', () => {
  test('a page takes one reactionsOf and one byIds, whatever its length; originals already on the page are not read again', async () => {
    const outside = record('outside', { body: 'edited original', editedAt: '2026-01-02T00:00:00.000Z' });
    const page = [
      record('a'),
      record('b', { replyToId: 'a' }),
      record('c', { replyToId: 'outside' }),
      record('d', { replyToId: 'outside' }),
      record('e', { replyToId: 'gone' }),
    ];
    const { storage, calls } = fakeStorage([reaction('a', 'ben', '👍'), reaction('a', 'cleo', '🎉'), reaction('a', 'dan', '👍'), reaction('c', 'ben', '🔥')], [outside]);
    const views = await messageViews(storage, page);
    assert.deepEqual(calls, [
      { method: 'reactionsOf', ids: ['a', 'b', 'c', 'd', 'e'] },
      { method: 'byIds', ids: ['outside', 'gone'] },
    ]);
    assert.deepEqual(views[0]!.reactions, [
      { emoji: '👍', userIds: ['ben', 'dan'] },
      { emoji: '🎉', userIds: ['cleo'] },
    ]);
    assert.deepEqual(views[1]!.replyTo, { messageId: 'a', senderId: 'ada', preview: 'body of a', deleted: false });
    assert.deepEqual(views[2]!.replyTo, { messageId: 'outside', senderId: 'ada', preview: 'edited original', deleted: false });
    assert.deepEqual(views[2]!.reactions, [{ emoji: '🔥', userIds: ['ben'] }]);
    assert.deepEqual(views[4]!.replyTo, { messageId: 'gone', senderId: null, preview: '', deleted: true }, 'an erased original shows as deleted');
    assert.deepEqual(views.map((view) => view.id), ['a', 'b', 'c', 'd', 'e'], 'in the order given');
  });

  test('a tombstone carries no reactions and no quote, and costs no read', async () => {
    const { storage, calls } = fakeStorage([], []);
    const [view] = await messageViews(storage, [record('x', { body: '', deletedAt: '2026-01-02T00:00:00.000Z', deletedBy: 'admin', replyToId: 'y', changeSeq: 4 })]);
    assert.deepEqual(calls, []);
    assert.deepEqual([view!.body, view!.reactions, view!.replyTo, view!.deletedBy, view!.changeSeq], ['', [], null, 'admin', 4]);
  });

  test('a quote shows the first 140 characters of the original as it is now, never half an emoji, and nothing of a deleted one', () => {
    const long = record('o', { body: `${'😀'.repeat(139)}ab` });
    assert.equal(quoteOf(long).preview, `${'😀'.repeat(139)}a`);
    assert.deepEqual(quoteOf(record('o', { body: '', deletedAt: '2026-01-02T00:00:00.000Z', deletedBy: 'sender' })), {
      messageId: 'o',
      senderId: 'ada',
      preview: '',
      deleted: true,
    });
  });

  test('a message just stored reads nothing: no reactions yet, the quote from the original already read', () => {
    const view = newMessageView(record('n', { replyToId: 'o' }), record('o', { body: 'the original' }));
    assert.deepEqual(view.reactions, []);
    assert.deepEqual(view.replyTo, { messageId: 'o', senderId: 'ada', preview: 'the original', deleted: false });
    assert.equal(newMessageView(record('plain'), null).replyTo, null);
  });
});
