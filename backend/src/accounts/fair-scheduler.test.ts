import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairScheduler, SchedulerFullError } from './fair-scheduler.js';

/** A task the test finishes by hand; `started` records the order in which tasks got a slot. */
function harness(scheduler: FairScheduler) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  let peak = 0;
  const submit = (key: string, name: string, options: { priority?: boolean; unbounded?: boolean } = {}) =>
    scheduler.run(
      key,
      () =>
        new Promise<string>((resolve) => {
          started.push(name);
          peak = Math.max(peak, scheduler.active);
          finishers.set(name, () => resolve(name));
        }),
      options,
    );
  /** Finishes the running tasks, oldest first, one at a time, until nothing runs. */
  const drain = async () => {
    for (let turn = 0; turn < 10_000 && finishers.size > 0; turn += 1) {
      const [name, finish] = finishers.entries().next().value!;
      finishers.delete(name);
      finish();
      await settle();
    }
  };
  return { started, submit, drain, peak: () => peak };
}

/** Lets promise continuations run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FairScheduler', () => {
  it('never runs more than its slots, and serves waiting requesters round-robin', async () => {
    const scheduler = new FairScheduler({ slots: 2, maxWaitingPerKey: 10, maxWaiting: 100 });
    const { started, submit, drain, peak } = harness(scheduler);
    // A floods first; B and C arrive after it with one task each.
    const done = [
      ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((name) => submit('A', name)),
      submit('B', 'b1'),
      submit('C', 'c1'),
      submit('B', 'b2'),
    ];
    await settle();
    assert.deepEqual(started, ['a1', 'a2']);
    await drain();
    await Promise.all(done);
    assert.equal(peak(), 2);
    // After the two that took the free slots: one turn each of A, B, C, then again.
    assert.deepEqual(started, ['a1', 'a2', 'a3', 'b1', 'c1', 'a4', 'b2', 'a5', 'a6']);
    assert.equal(scheduler.waiting, 0);
    assert.equal(scheduler.active, 0);
  });

  it('lets a newcomer wait behind at most one turn of each other requester, however much they queued', async () => {
    const scheduler = new FairScheduler({ slots: 1, maxWaitingPerKey: 50, maxWaiting: 200 });
    const { started, submit, drain } = harness(scheduler);
    const done: Array<Promise<string>> = [];
    for (let index = 0; index < 40; index += 1) done.push(submit('flood-1', `x${index}`), submit('flood-2', `y${index}`));
    await settle();
    done.push(submit('newcomer', 'login'));
    await drain();
    await Promise.all(done);
    // x0 ran at once; then flood-1's and flood-2's turns came before the newcomer's (they were
    // in the ring first), and only those.
    assert.ok(started.indexOf('login') <= 3, `newcomer started at position ${started.indexOf('login')}`);
  });

  it('refuses past the per-requester bound and the total bound, with a wait estimate', async () => {
    const scheduler = new FairScheduler({ slots: 1, maxWaitingPerKey: 2, maxWaiting: 3, initialTaskMs: 400 });
    const { submit, drain } = harness(scheduler);
    const accepted = [submit('A', 'a1'), submit('A', 'a2'), submit('A', 'a3')];
    await settle();
    await assert.rejects(submit('A', 'a4'), (error: unknown) => {
      assert.ok(error instanceof SchedulerFullError);
      assert.equal(error.reason, 'requester');
      assert.equal(error.retryAfterMs, 1200);
      return true;
    });
    assert.equal(scheduler.waitingOf('A'), 2);
    accepted.push(submit('B', 'b1'));
    await assert.rejects(submit('C', 'c1'), (error: unknown) => error instanceof SchedulerFullError && error.reason === 'total');
    // Unbounded work still queues, and still takes its turn.
    accepted.push(submit('admin', 'bulk1', { unbounded: true }));
    await drain();
    assert.deepEqual(await Promise.all(accepted), ['a1', 'a2', 'a3', 'b1', 'bulk1']);
    // Room again once drained.
    const again = submit('A', 'a5');
    await drain();
    assert.equal(await again, 'a5');
  });

  it('serves priority work first, yet never starves ordinary work', async () => {
    const scheduler = new FairScheduler({ slots: 1, maxWaitingPerKey: 100, maxWaiting: 1000, priorityStreak: 2 });
    const { started, submit, drain } = harness(scheduler);
    const done = [submit('X', 'o0'), submit('X', 'o1'), submit('X', 'o2')];
    for (let index = 0; index < 6; index += 1) done.push(submit(`ip${index}`, `p${index}`, { priority: true }));
    await drain();
    await Promise.all(done);
    assert.deepEqual(started, ['o0', 'p0', 'p1', 'o1', 'p2', 'p3', 'o2', 'p4', 'p5']);
  });

  it('frees the slot of a task that fails', async () => {
    const scheduler = new FairScheduler({ slots: 1, maxWaitingPerKey: 1, maxWaiting: 1 });
    await assert.rejects(scheduler.run('A', async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await scheduler.run('A', async () => 'next'), 'next');
    assert.equal(scheduler.active, 0);
  });

  it('rejects nonsensical bounds', () => {
    assert.throws(() => new FairScheduler({ slots: 0, maxWaitingPerKey: 1, maxWaiting: 1 }), RangeError);
    assert.throws(() => new FairScheduler({ slots: 1, maxWaitingPerKey: -1, maxWaiting: 1 }), RangeError);
  });
});
