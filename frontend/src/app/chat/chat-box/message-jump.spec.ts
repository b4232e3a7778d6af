import { TestBed } from '@angular/core/testing';
import { aChat, aMessage } from '../../core/testing/chat-fixtures';
import { syncAnswer } from '../../core/testing/signed-in';
import { MessageSearch } from '../../search/message-search.service';
import { MessageJumps } from '../message-jumps.service';
import { ChatBoxHarness } from './chat-box.harness.spec';

describe('MessageList: a jump to a message (a search hit)', () => {
  const harness = new ChatBoxHarness();
  const { me, bruno } = harness;
  const chatId = 'chat-ana-bruno';
  const chat = aChat(chatId, [me.id, bruno.id]);
  const shownSeqs = () => harness.all('message').map((element) => Number(element.dataset['messageId']!.split('-m')[1]));

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let waited = 0; !check(); waited += 50) {
      if (waited > 5_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await harness.stable();
    }
  }

  it('loads the page around a message not held, highlights and focuses it, and the messages up to the newest follow in order', async () => {
    await harness.render(chat, [aMessage(chatId, 50, bruno.id), aMessage(chatId, 51, me.id)], true);
    harness.socket.respond('chat:history', () => ({
      ok: true,
      data: { messages: [9, 10, 11].map((seq) => aMessage(chatId, seq, bruno.id)), hasMore: true, hasNewer: true },
    }));
    // Paging newer from the window: sync from its newest message brings those after it.
    harness.socket.respond('sync', (payload: { chats: Record<string, string | null> }) => {
      const after = Number(payload.chats[chatId]!.split('-m')[1]);
      const messages = Array.from({ length: 51 - after }, (_, index) => aMessage(chatId, after + 1 + index, bruno.id));
      return { ok: true, data: { chats: { [chatId]: syncAnswer({ messages, hasMore: false }) }, summaries: [] } };
    });

    TestBed.inject(MessageJumps).request(chatId, `${chatId}-m10`);
    await harness.stable();
    await until(() => document.activeElement === harness.element.querySelector(`[data-message-id="${chatId}-m10"]`), 'the hit to take the focus');

    expect(harness.socket.emitsOf('chat:history').map((emit) => emit.payload)).toEqual([jasmine.objectContaining({ chatId, around: `${chatId}-m10` })]);
    expect(harness.message(`${chatId}-m10`).classList).toContain('highlight');
    expect(TestBed.inject(MessageJumps).pending()).toBeNull();

    await until(() => shownSeqs().length === 43, 'the messages between the window and the newest');
    expect(shownSeqs()).toEqual(Array.from({ length: 43 }, (_, index) => 9 + index));
  });

  it('leaves a jump into another chat alone', async () => {
    await harness.render(chat, [aMessage(chatId, 1, bruno.id)]);
    TestBed.inject(MessageJumps).request('chat-other', 'chat-other-m1');
    await harness.stable();
    expect(TestBed.inject(MessageJumps).pending()).toEqual({ chatId: 'chat-other', messageId: 'chat-other-m1' });
    expect(harness.socket.emitsOf('chat:history')).toEqual([]);
  });

  it('searches inside the chat from its menu', async () => {
    await harness.render(chat, [aMessage(chatId, 1, bruno.id)]);
    const search = TestBed.inject(MessageSearch);
    harness.one('chat-menu-button')!.click();
    await harness.stable();
    harness.one('search-in-chat')!.click();
    await harness.stable();
    expect(search.state().chatId).toBe(chatId);
    expect(search.focusRequests()).toBe(1);
  });
});
