import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newMember } from '../records/member.js';
import type { MemberRecord } from '../storage.js';
import type { CacheBus, CacheEvent } from './mongo-cache-bus.js';
import { MongoMemberLists } from './mongo-member-lists.js';

/** Records what would go to the other processes. */
class RecordingBus implements CacheBus {
  readonly published: CacheEvent[] = [];
  publish(event: CacheEvent): void {
    this.published.push(event);
  }
  listen(): void {}
  async close(): Promise<void> {}
}

const at = '2026-01-01T00:00:00.000Z';
const ann = (chatId = 'c1'): MemberRecord => newMember(chatId, 'ann', 'admin', at);
const bob = (chatId = 'c1'): MemberRecord => newMember(chatId, 'bob', 'member', at);

describe('MongoMemberLists', () => {
  it('keeps a list read after no change, and hands out frozen snapshots', () => {
    const lists = new MongoMemberLists(new RecordingBus());
    const kept = lists.keep('c1', [ann(), bob()], lists.generation('c1'));
    assert.equal(lists.get('c1'), kept);
    assert.ok(Object.isFrozen(kept) && Object.isFrozen(kept[0]));
  });

  it('does not keep a list whose read raced a change of the chat (here or on another process) or a clear', () => {
    const bus = new RecordingBus();
    const lists = new MongoMemberLists(bus);
    const before = lists.generation('c1');
    lists.forget('c1');
    assert.equal(lists.keep('c1', [ann()], before).length, 1, 'the read is still handed out');
    assert.equal(lists.get('c1'), undefined);

    const beforeEvent = lists.generation('c1');
    lists.apply({ kind: 'forget', chatId: 'c1' });
    lists.keep('c1', [ann()], beforeEvent);
    assert.equal(lists.get('c1'), undefined);

    const beforeClear = lists.generation('c2');
    lists.clearHere();
    lists.keep('c2', [ann('c2')], beforeClear);
    assert.equal(lists.get('c2'), undefined);
  });

  it('tells the other processes of every change made here, and applies theirs without telling anyone', () => {
    const bus = new RecordingBus();
    const lists = new MongoMemberLists(bus);
    lists.keep('c1', [ann(), bob()], lists.generation('c1'));
    lists.forget('c1');
    lists.clear();
    assert.deepEqual(bus.published, [{ kind: 'forget', chatId: 'c1' }, { kind: 'clear' }]);

    lists.keep('c1', [ann(), bob()], lists.generation('c1'));
    lists.apply({ kind: 'forget', chatId: 'c1' });
    assert.equal(lists.get('c1'), undefined);
    lists.keep('c1', [ann(), bob()], lists.generation('c1'));
    lists.apply({ kind: 'clear' });
    assert.equal(lists.get('c1'), undefined);
    assert.equal(bus.published.length, 2);
  });

  it('moves positions forward only, whichever order the events come in', () => {
    const lists = new MongoMemberLists(new RecordingBus());
    lists.keep('c1', [ann(), bob()], lists.generation('c1'));
    lists.apply({ kind: 'moved', member: { ...bob(), deliveredSeq: 7, readSeq: 5, readAt: '2026-01-01T00:00:05.000Z' } });
    lists.apply({ kind: 'moved', member: { ...bob(), deliveredSeq: 4, readSeq: 3, readAt: '2026-01-01T00:00:03.000Z' } });
    const kept = lists.get('c1')!.find((member) => member.userId === 'bob')!;
    assert.deepEqual([kept.deliveredSeq, kept.readSeq, kept.readAt], [7, 5, '2026-01-01T00:00:05.000Z']);
  });

  it('un-hides a kept list, and tells the others only when a member may have hidden the chat', () => {
    const bus = new RecordingBus();
    const lists = new MongoMemberLists(bus);
    lists.keep('c1', [ann(), { ...bob(), hidden: true }], lists.generation('c1'));
    lists.unhidden('c1');
    assert.deepEqual(lists.get('c1')!.map((member) => member.hidden), [false, false]);
    lists.unhidden('c1');
    lists.unhidden('not-kept');
    assert.deepEqual(bus.published, [
      { kind: 'unhidden', chatId: 'c1' },
      { kind: 'unhidden', chatId: 'not-kept' },
    ]);
  });

  it('lets lookups that miss at once share one read, unless the chat changed after it started', async () => {
    const lists = new MongoMemberLists(new RecordingBus());
    const reads: Array<(members: MemberRecord[]) => void> = [];
    const load = () => new Promise<readonly MemberRecord[]>((resolve) => reads.push(resolve));

    const first = lists.list('c1', load);
    const second = lists.list('c1', load);
    assert.equal(reads.length, 1, 'the second lookup waits for the first read');
    lists.forget('c1');
    const afterChange = lists.list('c1', load);
    assert.equal(reads.length, 2, 'a lookup after a change reads again');

    reads[0]!([ann(), bob()]);
    reads[1]!([ann()]);
    assert.equal((await first).length, 2);
    assert.equal(await second, await first);
    assert.equal((await afterChange).length, 1);
    assert.equal(lists.get('c1')?.length, 1, 'only the read that started after the change is kept');

    lists.forget('c1');
    const failing = lists.list('c1', () => Promise.reject(new Error('store down')));
    await assert.rejects(failing, /store down/);
    assert.equal((await lists.list('c1', () => Promise.resolve([ann()]))).length, 1, 'a failed read is not shared afterwards');
  });
});
