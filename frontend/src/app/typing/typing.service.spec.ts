import { CHAT_TIMING } from '../connection/chat-timing';
import { aChat, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { signIn, useFakeServer } from '../core/testing/signed-in';
import { SessionStore } from '../session/session-store';
import { TypingService } from './typing.service';

describe('TypingService', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const server = useFakeServer();
  const signedIn = () => signIn(server.socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });

  it('sends typing true at most every few seconds and false after 2 s without keystrokes', async () => {
    jasmine.clock().install();
    jasmine.clock().mockDate(new Date('2026-03-02T10:00:00Z'));
    const typing = (await signedIn()).get(TypingService);
    const sent = () => server.socket.emitsOf('chat:typing').map((e) => e.payload.typing);

    typing.noteTyping(chatId);
    jasmine.clock().tick(500);
    typing.noteTyping(chatId);
    jasmine.clock().tick(500);
    typing.noteTyping(chatId);
    expect(sent()).toEqual([true]);

    jasmine.clock().tick(CHAT_TIMING.typingIdleMs - 1);
    expect(sent()).toEqual([true]);
    jasmine.clock().tick(1);
    expect(sent()).toEqual([true, false]);
  });

  it('shows who is typing in a chat until they stop', async () => {
    const store = (await signedIn()).get(SessionStore);
    server.socket.serverEmit('chat:typing', { chatId, userId: bruno.id, typing: true });
    expect(store.typing()[chatId]).toEqual([bruno.id]);
    server.socket.serverEmit('chat:typing', { chatId, userId: bruno.id, typing: false });
    expect(store.typing()[chatId]).toEqual([]);
  });
});
