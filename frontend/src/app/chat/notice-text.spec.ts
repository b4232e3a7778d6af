import { noticeText } from './notice-text';

describe('noticeText', () => {
  const names: Record<string, string> = { a: 'Ana', b: 'Bruno' };
  const nameOf = (id: string | undefined) => (id ? (names[id] ?? 'Someone') : 'Someone');

  it('describes every kind of group change', () => {
    expect(noticeText({ type: 'created', actorId: 'a', name: 'Trip' }, nameOf)).toBe('Ana created the group “Trip”');
    expect(noticeText({ type: 'joined', actorId: 'b' }, nameOf)).toBe('Bruno joined');
    expect(noticeText({ type: 'left', actorId: 'b' }, nameOf)).toBe('Bruno left');
    expect(noticeText({ type: 'added', actorId: 'a', targetId: 'b' }, nameOf)).toBe('Ana added Bruno');
    expect(noticeText({ type: 'removed', actorId: 'a', targetId: 'b' }, nameOf)).toBe('Ana removed Bruno');
    expect(noticeText({ type: 'renamed', actorId: 'a', name: 'Lisbon' }, nameOf)).toBe('Ana renamed the group to “Lisbon”');
    expect(noticeText({ type: 'promoted', actorId: 'a', targetId: 'b' }, nameOf)).toBe('Ana made Bruno an admin');
    expect(noticeText({ type: 'demoted', actorId: 'a', targetId: 'x' }, nameOf)).toBe('Ana removed Someone as admin');
    expect(noticeText({ type: 'made_public', actorId: 'a' }, nameOf)).toBe(
      'Ana made the group public: anyone signed in can find it and read its history',
    );
    expect(noticeText({ type: 'made_private', actorId: 'b' }, nameOf)).toBe('Bruno made the group private: only people added by an admin can join');
  });
});
