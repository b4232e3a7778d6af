import { aMessage } from '../../core/testing/chat-fixtures';
import type { LocalChange } from './local-change';
import { followQuotes, storedState, withLocalChange, withSettledChange, withStoredState } from './message-changes';

describe('message changes', () => {
  const chatId = 'chat-1';
  const original = aMessage(chatId, 3, 'user-ana', { body: 'hello' });
  const edited = (body: string, changeSeq: number) => ({ ...original, body, editedAt: '2026-03-02T12:00:00.000Z', changeSeq });
  const thumbs: LocalChange = { id: 'c1', kind: 'react', emoji: '👍', on: true, userId: 'user-ana' };
  const edit: LocalChange = { id: 'c2', kind: 'edit', body: 'hello there', at: '2026-03-02T12:00:00.000Z' };

  it('takes a state with a higher changeSeq and ignores a stale or repeated one', () => {
    const newer = withStoredState(original, edited('hi', 2));
    expect(newer.body).toBe('hi');
    expect(withStoredState(newer, edited('stale', 1))).toBe(newer);
    expect(withStoredState(newer, edited('hi again', 2))).toBe(newer);
  });

  it('shows our changes over the stored state, marked pending with the newest one’s kind', () => {
    const pending = withLocalChange(withLocalChange(original, thumbs), edit);
    expect(pending.body).toBe('hello there');
    expect(pending.reactions).toEqual([{ emoji: '👍', userIds: ['user-ana'] }]);
    expect(pending.pendingChange).toBe('edit');
    expect(storedState(pending)).toEqual(original);
  });

  it('keeps our pending changes on top of a newer state someone else’s change brought', () => {
    const pending = withLocalChange(original, thumbs);
    const withOther = withStoredState(pending, { ...original, reactions: [{ emoji: '👍', userIds: ['user-bruno'] }], changeSeq: 4 });
    expect(withOther.reactions).toEqual([{ emoji: '👍', userIds: ['user-bruno', 'user-ana'] }]);
    expect(withOther.pendingChange).toBe('react');
  });

  it('settles an acked change with the server’s state, and takes a refused one back with the reason', () => {
    const pending = withLocalChange(withLocalChange(original, thumbs), edit);
    const acked = withSettledChange(pending, 'c2', { acked: edited('hello there', 5) });
    expect(acked.pendingChange).toBe('react');
    expect(acked.body).toBe('hello there');
    expect(storedState(acked).changeSeq).toBe(5);

    const refused = withSettledChange(acked, 'c1', { refused: 'Too many reactions.' });
    expect(refused.pendingChange).toBeUndefined();
    expect(refused.reactions).toEqual([]);
    expect(refused.changeError).toBe('Too many reactions.');
    expect(refused.stored).toBeUndefined();
  });

  it('makes replies quoting a message follow its edit and its deletion', () => {
    const reply = aMessage(chatId, 4, 'user-bruno', { replyTo: { messageId: original.id, senderId: 'user-ana', preview: 'hello', deleted: false } });
    const other = aMessage(chatId, 5, 'user-bruno');
    const list = [original, reply, other];
    expect(followQuotes(list, original)).toBe(list);
    const afterEdit = followQuotes(list, edited('x'.repeat(200), 1));
    expect(afterEdit[1]!.replyTo).toEqual({ messageId: original.id, senderId: 'user-ana', preview: 'x'.repeat(140), deleted: false });
    expect(afterEdit[2]).toBe(other);
    const afterDelete = followQuotes(list, { ...original, body: '', deletedAt: '2026-03-02T12:00:00.000Z', deletedBy: 'sender' });
    expect(afterDelete[1]!.replyTo).toEqual(jasmine.objectContaining({ preview: '', deleted: true }));
  });
});
