import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../app-error.js';
import type { LiveUpdates } from '../live-updates.js';
import { ConflictError, NotFoundError } from '../storage/errors.js';
import type { AppliedChange, MessageRecord, Storage } from '../storage/storage.js';
import { applyChange } from './message-target.js';

const tombstone: MessageRecord = {
  id: 'm',
  chatId: 'c',
  seq: 3,
  kind: 'text',
  senderId: 'ben',
  clientId: null,
  body: '',
  notice: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
  deletedAt: '2026-01-01T00:00:01.000Z',
  deletedBy: 'admin',
  replyToId: null,
  changeSeq: 8,
  mentions: [],
};

/** A store whose change() answers (or throws) as told, and live updates that record what was sent where. */
function harness(answer: () => Promise<AppliedChange>) {
  const sent: Array<{ event: string; payload: unknown; options: unknown }> = [];
  const storage = {
    messages: { change: answer, reactionsOf: async () => [], byIds: async () => [] },
    attachments: { ofMessages: async () => [] },
  } as unknown as Storage;
  const live = { toChat: (_chatId: string, event: string, payload: unknown, options: unknown) => sent.push({ event, payload, options }) } as unknown as LiveUpdates;
  return { deps: { storage, live }, sent };
}

const edit = { kind: 'edit', messageId: 'm', actorId: 'ben', body: 'too late' } as const;
const actor = { userId: 'ben', socketId: 'socket-1' };

describe('applying a change', () => {
  test('an edit a racing delete overtook: conflict for the caller, the position announced as a delete to the whole room', async () => {
    const { deps, sent } = harness(async () => ({ message: tombstone, changeSeq: 8 }));
    await assert.rejects(applyChange(deps, actor, 'c', edit), (error: unknown) => error instanceof AppError && error.code === 'conflict' && error.message === 'The message was deleted');
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0]!.options, {}, 'the caller\'s socket hears it too: its answer is an error');
    assert.deepEqual((sent[0]!.payload as { kind: string; changeSeq: number }).kind, 'delete');
    assert.deepEqual((sent[0]!.payload as { kind: string; changeSeq: number }).changeSeq, 8);
  });

  test('a delete is announced to everyone but the caller\'s socket, which has the answer', async () => {
    const { deps, sent } = harness(async () => ({ message: tombstone, changeSeq: 8 }));
    const view = await applyChange(deps, actor, 'c', { kind: 'delete', messageId: 'm', actorId: 'ben', by: 'sender' });
    assert.equal(view.deletedBy, 'admin');
    assert.deepEqual(sent[0]!.options, { exceptSocketId: 'socket-1' });
  });

  test('a change that changed nothing is not announced', async () => {
    const { deps, sent } = harness(async () => ({ message: { ...tombstone, deletedAt: null, deletedBy: null, body: 'same' }, changeSeq: null }));
    assert.equal((await applyChange(deps, actor, 'c', { ...edit, body: 'same' })).body, 'same');
    assert.deepEqual(sent, []);
  });

  test("the store's refusals in the use cases' words", async () => {
    const refused = harness(async () => Promise.reject(new ConflictError('deleted')));
    await assert.rejects(applyChange(refused.deps, actor, 'c', edit), (error: unknown) => error instanceof AppError && error.code === 'conflict');
    const vanished = harness(async () => Promise.reject(new NotFoundError('message', 'm')));
    await assert.rejects(applyChange(vanished.deps, actor, 'c', edit), (error: unknown) => error instanceof AppError && error.code === 'not_found');
    assert.deepEqual([...refused.sent, ...vanished.sent], []);
  });
});
