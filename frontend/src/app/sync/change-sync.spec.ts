import type { ChangeKind, Message, MessageChange } from '@shared';
import { CHAT_TIMING } from '../connection/chat-timing';
import { aChat, aMessage, aSelfUser, aUser, tokens } from '../core/testing/chat-fixtures';
import { openChat, serveSession, signIn, syncAnswer, useFakeServer, type SyncChatAnswer } from '../core/testing/signed-in';
import { nextRequest, settle } from '../core/testing/wait';
import { SessionStore } from '../session/session-store';
import { heldMessage } from '../timeline/state/timeline-changes';

describe('changes to messages from the server', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const chat = () => aChat(chatId, [me.id, bruno.id], { changeSeq: 3 });
  const fromBruno = (seq: number, overrides: Partial<Message> = {}) => aMessage(chatId, seq, bruno.id, overrides);
  const change = (changeSeq: number, kind: ChangeKind, message: Message): MessageChange => ({ chatId, changeSeq, kind, message });
  const edit = (changeSeq: number, seq: number, body: string) => change(changeSeq, 'edit', fromBruno(seq, { body, changeSeq }));
  const server = useFakeServer();
  let store: SessionStore;
  const body = (seq: number) => heldMessage(store.timelines(), chatId, `${chatId}-m${seq}`)!.body;
  const syncs = () => server.socket.emitsOf('sync').map((e) => e.payload);

  /** Signed in (clock mocked) with the chat open on messages 1..3, at change position 3. */
  async function opened(): Promise<void> {
    jasmine.clock().install();
    const session = await signIn(server.socket, me, { users: [bruno], chats: [chat()] });
    await openChat(session, server.socket, chat(), [fromBruno(1), fromBruno(2), fromBruno(3)]);
    store = session.get(SessionStore);
  }

  /** Answers each `sync` with `answer(changeCursor)` for the chat. */
  function serveChanges(answer: (cursor: number | undefined) => Partial<SyncChatAnswer>): void {
    server.socket.respond('sync', (payload: { chats: Record<string, string | null>; changes?: Record<string, number> }) => ({
      ok: true,
      data: { chats: { [chatId]: syncAnswer({ messages: [], hasMore: false, ...answer(payload.changes?.[chatId]) }) }, summaries: [chat()] },
    }));
  }

  async function wait(ms: number): Promise<void> {
    jasmine.clock().tick(ms);
    await settle();
  }

  it('applies a live change and ignores it when it comes again or an older one comes late', async () => {
    await opened();
    server.socket.serverEmit('message:changed', edit(4, 2, 'edited'));
    expect(body(2)).toBe('edited');
    const after = store.timelines();
    server.socket.serverEmit('message:changed', edit(4, 2, 'edited'));
    expect(store.timelines()).toBe(after);
    server.socket.serverEmit('message:changed', edit(3, 2, 'stale'));
    expect(body(2)).toBe('edited');
    await wait(CHAT_TIMING.holeFillDelayMs * 10);
    expect(syncs().length).toBe(1);
  });

  it('waits for a missed change a moment, then syncs the chat’s changes from its position, page by page', async () => {
    await opened();
    serveChanges((cursor) =>
      cursor === 3
        ? { changes: [edit(4, 1, 'first')], changeSeq: 4, hasMoreChanges: true }
        : cursor === 4
          ? { changes: [edit(5, 2, 'second')], changeSeq: 6, hasMoreChanges: false }
          : {},
    );
    server.socket.serverEmit('message:changed', edit(6, 3, 'third'));
    expect(body(3)).toBe('third');

    await wait(CHAT_TIMING.holeFillDelayMs - 1);
    expect(syncs().length).toBe(1);
    await wait(1);
    expect(syncs().slice(1)).toEqual([
      { chats: { [chatId]: `${chatId}-m3` }, changes: { [chatId]: 3 } },
      { chats: { [chatId]: `${chatId}-m3` }, changes: { [chatId]: 4 } },
    ]);
    expect([1, 2, 3].map(body)).toEqual(['first', 'second', 'third']);
    expect(store.snapshot().changePositions[chatId]).toEqual({ applied: 6, ahead: [] });
    await wait(CHAT_TIMING.holeFillDelayMs * 10);
    expect(syncs().length).toBe(3);
  });

  it('asks nothing when the missed change turns up by itself', async () => {
    await opened();
    server.socket.serverEmit('message:changed', edit(5, 3, 'later'));
    server.socket.serverEmit('message:changed', edit(4, 3, 'earlier'));
    expect(body(3)).toBe('later');
    await wait(CHAT_TIMING.holeFillDelayMs * 10);
    expect(syncs().length).toBe(1);
  });

  it('catches up on changes after a reconnect from where it got to', async () => {
    await opened();
    server.socket.serverEmit('message:changed', edit(4, 1, 'live'));
    server.socket.serverDrop();
    serveSession(server.socket, me, { users: [bruno], chats: [chat()] });
    serveChanges((cursor) => (cursor === 4 ? { changes: [change(5, 'delete', fromBruno(2, { body: '', deletedAt: '2026-03-02T12:00:00.000Z', deletedBy: 'sender', changeSeq: 5 }))], changeSeq: 5 } : {}));

    server.socket.serverConnect();
    (await nextRequest(server.http, '/api/auth/refresh')).flush(tokens(me, 2));
    await settle();
    server.socket.serverEmit('authenticated', me);
    await settle();

    expect(syncs()[1]).toEqual({ chats: { [chatId]: `${chatId}-m3` }, changes: { [chatId]: 4 } });
    expect(heldMessage(store.timelines(), chatId, `${chatId}-m2`)!.deletedAt).not.toBeNull();
    expect(store.snapshot().changePositions[chatId]!.applied).toBe(5);
  });
});
